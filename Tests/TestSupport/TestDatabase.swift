import Foundation
import Logging
import Scheduler
import SchedulerService
import Testing

/// A fresh, migrated database for one test, and a way to run plain SQL against it as
/// another service would.
public struct TestDatabase: Sendable {
    public let kind: StoreKind
    public let url: String
    public let store: any TaskStore
    /// Runs SQL with positional parameters (`$1` in PostgreSQL, `?1` in SQLite), each a
    /// string or NULL, and returns every row's columns as text.
    public let query: @Sendable (String, [String?]) async throws -> [[String?]]

    public init(
        kind: StoreKind, url: String, store: any TaskStore,
        query: @escaping @Sendable (String, [String?]) async throws -> [[String?]]
    ) {
        self.kind = kind
        self.url = url
        self.store = store
        self.query = query
    }

    /// Runs SQL without parameters, ignoring any rows.
    public func execute(_ sql: String) async throws {
        _ = try await query(sql, [])
    }

    /// How long the tests' PostgreSQL calls may go unanswered: far longer than a
    /// deployment's 2 s for the engine's calls, since a 2-core machine running every
    /// suite at once answers a healthy call in more than 2 s at times, and a test must not
    /// fail on that. What the bounds do is ``DatabaseDeadlineTests``' subject, with limits
    /// of their own; tests of an unreachable database open stores with the defaults.
    public static let bounds = DatabaseBounds(hotPath: .seconds(60), general: .seconds(120), pruning: .seconds(300))

    public static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    /// Creates a new database of the given kind, applies the engine's migrations and
    /// `modules`' (when `migrated`), and runs `body` with it.
    public static func with<T: Sendable>(
        _ kind: StoreKind,
        modules: [any SchemaModule] = [],
        migrated: Bool = true,
        _ body: (TestDatabase) async throws -> T
    ) async throws -> T {
        switch kind {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("agent-scheduler-test-\(UUID().uuidString).sqlite").path
            defer {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            return try await StoreFactory.withStore(url: path, bounds: TestDatabase.bounds, logger: logger) { store in
                if migrated { try await store.migrate(modules: modules) }
                return try await SQLiteTestConnection.with(path: path) { query in
                    try await body(TestDatabase(kind: kind, url: path, store: store, query: query))
                }
            }
        case .postgres:
            let url = try await PostgresTestCluster.createDatabase()
            return try await StoreFactory.withStore(url: url, bounds: TestDatabase.bounds, logger: logger) { store in
                if migrated { try await store.migrate(modules: modules) }
                let query = try #require(try store.accept(PostgresTestQuery.Maker()))
                return try await body(TestDatabase(kind: kind, url: url, store: store, query: query.run))
            }
        }
    }
}
