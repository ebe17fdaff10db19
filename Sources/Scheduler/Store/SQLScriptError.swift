/// A statement of a SQL script failed; the script ran in one transaction, so nothing of
/// it was kept.
public struct SQLScriptError: Error, CustomStringConvertible {
    /// The statement's number in the script, from 1.
    public let statement: Int
    /// The statement's first line, to find it by.
    public let firstLine: String
    /// What the database said.
    public let reason: String

    package init(statement: Int, text: String, error: any Error) {
        self.statement = statement
        firstLine = String(text.prefix { $0 != "\n" }.prefix(80))
        reason = DatabaseErrorDescription.describe(error)
    }

    public var description: String {
        "statement \(statement) (\(firstLine)) failed: \(reason); nothing from the script was kept"
    }
}
