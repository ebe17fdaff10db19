import PostgresNIO

/// A database error as the operator's log should show it.
///
/// PostgresNIO's errors print one generic line on purpose, since their full form carries
/// the query's bound values; a log that said "claim failed" then gave no reason at all.
/// This keeps what the server said (SQLSTATE and message) or the client-side code and
/// its cause, and leaves the bound values out.
enum DatabaseErrorDescription {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo, let message = info[.message] {
            return "PostgreSQL error \(info[.sqlState] ?? "(no SQLSTATE)"): \(message)"
        }
        return "PostgreSQL client error \(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
    }
}
