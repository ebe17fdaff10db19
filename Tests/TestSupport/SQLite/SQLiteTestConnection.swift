import Foundation
import SQLiteNIO

/// A second connection to a test's SQLite file, as another program would open it.
enum SQLiteTestConnection {
    /// Opens the file, runs `body` with a query function over that connection, and closes it.
    static func with<T: Sendable>(
        path: String,
        _ body: (@escaping @Sendable (String, [String?]) async throws -> [[String?]]) async throws -> T
    ) async throws -> T {
        let raw = try await SQLiteConnection.open(storage: .file(path: path), logger: TestDatabase.logger)
        do {
            _ = try await raw.query("PRAGMA busy_timeout = 5000", [])
            let result = try await body { sql, binds in
                try await raw.query(sql, binds.map { $0.map(SQLiteData.text) ?? .null }).map { row in
                    row.columns.map { $0.data.isNull ? nil : $0.data.string }
                }
            }
            try await raw.close()
            return result
        } catch {
            try? await raw.close()
            throw error
        }
    }
}
