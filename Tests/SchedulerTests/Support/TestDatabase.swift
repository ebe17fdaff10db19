import Foundation
import Logging
import PostgresNIO
import SQLiteNIO
import Testing

@testable import Scheduler

/// The databases the store conformance suite runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL when `scripts/test` provides a cluster, and always in CI,
    /// where a missing cluster fails the PostgreSQL cases instead of skipping them.
    static var available: [StoreKind] {
        let environment = ProcessInfo.processInfo.environment
        if environment["TEST_DATABASE_URL"] != nil || environment["CI"] == "true" { return allCases }
        return [.sqlite]
    }
}

/// A fresh, migrated database for one test, and a way to run plain SQL against it as
/// another service would.
struct TestDatabase: Sendable {
    let kind: StoreKind
    let url: String
    let store: any TaskStore
    let execute: @Sendable (String) async throws -> Void

    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    /// Creates a new database of the given kind, migrates it, and runs `body` with it.
    static func with<T: Sendable>(_ kind: StoreKind, _ body: (TestDatabase) async throws -> T) async throws -> T {
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
                let database = TestDatabase(kind: kind, url: path, store: store) { sql in
                    _ = try await raw.query(sql, [])
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
                let database = TestDatabase(kind: kind, url: url, store: store) { sql in
                    _ = try await postgres.client.query(PostgresQuery(unsafeSQL: sql)).collect()
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
        let client = PostgresClient(configuration: try PostgresURL.configuration(from: adminURL))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            // The name is generated above from hex digits only, so it is safe to splice.
            _ = try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)")).collect()
        }
        var components = try #require(URLComponents(string: adminURL))
        components.path = "/" + name
        return try #require(components.string)
    }
}
