import Foundation
import PostgresNIO
import SQLiteNIO

/// A file of SQL statements separated by semicolons at line ends, with `--` comment
/// lines, such as `fixtures/sample_data.sql`.
public enum SQLScript {
    /// The statements of a script, comments dropped, in order.
    public static func statements(in text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
            .joined(separator: "\n")
            .components(separatedBy: ";\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
            .filter { !$0.isEmpty }
    }

    /// Runs each statement of `text` against the store's database, in one transaction.
    public static func run(_ text: String, on store: any TaskStore) async throws {
        let statements = statements(in: text)
        switch store {
        case let postgres as PostgresTaskStore:
            try await postgres.client.withTransaction(logger: postgres.logger) { connection in
                for statement in statements {
                    _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: postgres.logger).collect()
                }
            }
        case let sqlite as SQLiteTaskStore:
            try await sqlite.transaction { connection in
                for statement in statements { _ = try await connection.rows(statement, []) }
            }
        default:
            preconditionFailure("no script runner for \(type(of: store))")
        }
    }
}
