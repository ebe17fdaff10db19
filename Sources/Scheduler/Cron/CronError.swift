/// A cron expression that cannot be used, with where it is wrong: the field, its
/// position in the text, and a caret line under it.
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    public var expression: String
    /// The field at fault (`minute`, `day-of-week`, …), or `nil` for the whole expression.
    public var field: String?
    /// The first character of the fault in `expression`, and how many it spans.
    public var column: Int
    public var length: Int
    public var problem: String

    public var description: String {
        let place = field.map { "the \($0) field" } ?? "the expression"
        let caret = String(repeating: " ", count: column) + String(repeating: "^", count: max(1, length))
        return "cron '\(expression)': \(place) at column \(column + 1): \(problem)\n  \(expression)\n  \(caret)"
    }
}
