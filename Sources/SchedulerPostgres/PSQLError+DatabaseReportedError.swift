import PostgresNIO
import Scheduler

/// PostgresNIO prints one generic line for every error, since the full form carries the
/// query's bound values; the log needs what the server said (SQLSTATE and message) or the
/// client-side code and its cause.
extension PSQLError: DatabaseReportedError {
    package var operatorDescription: String {
        if let info = serverInfo, let message = info[.message] {
            return "PostgreSQL error \(info[.sqlState] ?? "(no SQLSTATE)"): \(message)"
        }
        return "PostgreSQL client error \(code)" + (underlying.map { ": \($0)" } ?? "")
    }

    /// undefined_table (42P01) or undefined_function (42883).
    package var isMissingSchema: Bool {
        ["42P01", "42883"].contains(serverInfo?[.sqlState] ?? "")
    }
}
