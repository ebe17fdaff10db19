import Foundation
import Logging
import PostgresNIO
import SQLiteNIO
import Scheduler
import Testing

/// The databases the store conformance suite runs against.
public enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    public var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL when `scripts/test` provides a cluster, and always in CI,
    /// where a missing cluster fails the PostgreSQL cases instead of skipping them.
    public static var available: [StoreKind] {
        let environment = ProcessInfo.processInfo.environment
        if environment["TEST_DATABASE_URL"] != nil || environment["CI"] == "true" { return allCases }
        return [.sqlite]
    }
}

/// A fresh, migrated database for one test, and a way to run plain SQL against it as
/// another service would.
public struct TestDatabase: Sendable {
    public let kind: StoreKind
    public let url: String
    public let store: any TaskStore
    /// Runs SQL with positional parameters (`$1` in PostgreSQL, `?1` in SQLite), each a
    /// string or NULL, and returns every row's columns as text.
    public let query: @Sendable (String, [String?]) async throws -> [[String?]]

    /// Runs SQL without parameters, ignoring any rows.
    public func execute(_ sql: String) async throws {
        _ = try await query(sql, [])
    }

    public static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    /// Creates a new database of the given kind, migrates it, and runs `body` with it.
    public static func with<T: Sendable>(_ kind: StoreKind, _ body: (TestDatabase) async throws -> T) async throws -> T {
        switch kind {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("agent-scheduler-test-\(UUID().uuidString).sqlite").path
            defer {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            return try await StoreFactory.withStore(url: path, logger: logger) { store in
                try await store.migrate()
                let raw = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                let database = TestDatabase(kind: kind, url: path, store: store) { sql, binds in
                    try await raw.query(sql, binds.map { $0.map(SQLiteData.text) ?? .null }).map { row in
                        row.columns.map { $0.data.isNull ? nil : $0.data.string }
                    }
                }
                do {
                    _ = try await raw.query("PRAGMA busy_timeout = 5000", [])
                    let result = try await body(database)
                    try await raw.close()
                    return result
                } catch {
                    try? await raw.close()
                    throw error
                }
            }
        case .postgres:
            let url = try await PostgresTestCluster.createDatabase()
            return try await StoreFactory.withStore(url: url, logger: logger) { store in
                try await store.migrate()
                let postgres = try #require(store as? PostgresTaskStore)
                let database = TestDatabase(kind: kind, url: url, store: store) { sql, binds in
                    var bindings = PostgresBindings()
                    for bind in binds { bindings.append(bind) }
                    return try await postgres.client.query(PostgresQuery(unsafeSQL: sql, binds: bindings)).collect().map { row in
                        try row.map { try $0.decode(String?.self) }
                    }
                }
                return try await body(database)
            }
        }
    }
}

/// The throwaway PostgreSQL cluster that `scripts/test` starts, named by
/// `TEST_DATABASE_URL`; each test gets a database of its own in it.
enum PostgresTestCluster {
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "TEST_DATABASE_URL is not set: run the tests with scripts/test, which starts a PostgreSQL cluster"
        }
    }

    static func createDatabase() async throws -> String {
        guard let adminURL = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] else { throw Missing() }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = try PostgresTaskStore(url: adminURL, logger: TestDatabase.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.run() }
            defer { group.cancelAll() }
            // The name is generated above from hex digits only, so it is safe to splice.
            _ = try await admin.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)")).collect()
        }
        var components = try #require(URLComponents(string: adminURL))
        components.path = "/" + name
        return try #require(components.string)
    }
}
