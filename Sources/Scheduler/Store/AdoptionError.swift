/// Existing tables that `migrate` cannot take over as they are; nothing was changed.
public enum AdoptionError: Error, CustomStringConvertible, Equatable {
    /// A column the engine reads has a type it cannot read.
    case incompatibleColumn(table: String, column: String, type: String, expected: String)
    /// A column the engine needs, and cannot make up values for, is missing.
    case missingColumn(table: String, column: String)
    /// Rows have statuses the engine does not know.
    case unknownStatuses([String])

    public var description: String {
        switch self {
        case .incompatibleColumn(let table, let column, let type, let expected):
            "cannot adopt \(table): column \(column) is \(type), expected \(expected); change its type "
                + "(ALTER TABLE \(table) ALTER COLUMN \(column) TYPE …) or rename it, then run migrate again. Nothing was changed."
        case .missingColumn(let table, let column):
            "cannot adopt \(table): it has no column \(column), which every task needs; add it, then run migrate again. "
                + "Nothing was changed."
        case .unknownStatuses(let statuses):
            "cannot adopt agent_tasks: rows have the statuses \(statuses.map { "'\($0)'" }.joined(separator: ", ")), "
                + "expected pending, processing, completed, failed or cancelled; update those rows, then run migrate again. "
                + "Nothing was changed."
        }
    }
}
