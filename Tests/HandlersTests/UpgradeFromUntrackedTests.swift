import Foundation
import TestSupport
import Testing

@testable import Handlers
@testable import Scheduler
@testable import SchedulerPostgres
@testable import SchedulerSQLite

/// A database made before migrations had tracks (every table, the domain's too, on one
/// version list 1-5) upgrades to the engine's and the handlers' tracks without loss and
/// ends with the same schema as a new database.
@Suite("Upgrade from the single migration list", .timeLimit(.minutes(5)))
struct UpgradeFromUntrackedTests {
    /// The layout the single list left: `schema_migrations` keyed by version alone, and
    /// versions 1-5, where 2 created the domain tables.
    static func makeUntrackedDatabase(_ db: TestDatabase) async throws {
        let engine: [Migration]
        let domain: [Migration]
        let table: String
        switch db.kind {
        case .postgres:
            (engine, domain) = (PostgresMigrations.all, PostgresDomainMigrations.all)
            table = """
                CREATE TABLE schema_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """
        case .sqlite:
            (engine, domain) = (SQLiteMigrations.all, SQLiteDomainMigrations.all)
            table = """
                CREATE TABLE schema_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TEXT NOT NULL DEFAULT (\(SQLiteMigrations.now))
                )
                """
        }
        let statements = engine.filter { $0.version <= 5 }.flatMap { migration in
            migration.version == 2 ? domain[0].statements : migration.statements
        }
        let recorded = [
            "agent_tasks and agent_actions_log", "domain tables: users, conversations, messages, events",
            "wake-up notifications for pending tasks", "index only present user ids and idempotency keys",
            "claim function planned the same whatever the statistics",
        ].enumerated().map { "INSERT INTO schema_migrations (version, name) VALUES (\($0.offset + 1), '\($0.element)')" }
        try await db.store.run(statements: [table] + statements + recorded)
    }

    static let tables = ["agent_tasks", "agent_actions_log", "users", "conversations", "messages", "events"]

    /// Every row of every table the upgrade must keep, as text, read through the columns
    /// the tables have now (`columns`, or all of them).
    static func contents(_ db: TestDatabase, columns: [String: [String]]? = nil) async throws -> [String: [[String?]]] {
        var contents: [String: [[String?]]] = [:]
        for table in tables {
            var names = columns?[table] ?? []
            if names.isEmpty { names = try await Self.columns(of: table, in: db) }
            let list = names.joined(separator: ", ")
            let select = db.kind == .postgres ? "ROW(\(list))::text" : list
            contents[table] = try await db.query("SELECT \(select) FROM \(table) ORDER BY 1", [])
        }
        return contents
    }

    /// The column names of `table`, in order.
    static func columns(of table: String, in db: TestDatabase) async throws -> [String] {
        let sql = db.kind == .postgres
            ? "SELECT column_name::text FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position"
            : "SELECT name FROM pragma_table_info(?1)"
        return try await db.query(sql, [table]).compactMap { $0.first ?? nil }
    }

    @Test("migrate adopts the old layout: rows kept, schema equal to a new database's, pending tasks run",
          arguments: StoreKind.available)
    func upgrade(kind: StoreKind) async throws {
        let fresh = try await TestDatabase.with(kind, modules: HandlerCatalog.schema) { db in
            try await SchemaCatalog.text(of: db)
        }
        try await TestDatabase.with(kind, migrated: false) { db in
            try await Self.makeUntrackedDatabase(db)
            try await Fixtures.loadSampleData(into: db)
            let sample = try #require(try Fixtures.sampleTasks().first { $0.task.taskType == "schedule_followup" })
            let pending = try await Fixtures.insert(sample.task, into: db)
            try await db.execute(
                "INSERT INTO agent_actions_log (agent_type, action_type, context_id) VALUES ('old', 'process_x', '\(pending.lowercasedString)')")
            var oldColumns: [String: [String]] = [:]
            for table in Self.tables { oldColumns[table] = try await Self.columns(of: table, in: db) }
            let before = try await Self.contents(db)

            let applied = try await db.store.migrate(modules: HandlerCatalog.schema)
            // PostgreSQL's migration 17 replaces its limited-claim function; SQLite has no such function.
            let latest = db.kind == .postgres ? 17 : 16

            #expect(applied == (6...latest).map { AppliedMigration(track: "scheduler", version: $0) } + [
                AppliedMigration(track: "handlers", version: 1), AppliedMigration(track: "handlers", version: 2),
            ])
            #expect(try await Self.contents(db, columns: oldColumns) == before)
            let attempts = try await db.query(
                "SELECT CAST(attempts AS TEXT) FROM agent_tasks WHERE id = $1".replacingOccurrences(
                    of: "$1", with: db.kind == .postgres ? "$1::uuid" : "?1"), [pending.lowercasedString])
            #expect(attempts == [["1"]], "attempts is backfilled from the action log")
            #expect(try await SchemaCatalog.text(of: db) == fresh)
            let tracks = try await db.query("SELECT track, CAST(version AS TEXT) FROM schema_migrations ORDER BY track, CAST(version AS INTEGER)", [])
            #expect(tracks == [["handlers", "1"], ["handlers", "2"]] + (1...latest).map { ["scheduler", "\($0)"] })
            #expect(try await db.store.migrate(modules: HandlerCatalog.schema).isEmpty)

            let harness = try EngineHarness(db, handlers: HandlerCatalog.all(for: db.store))
            await harness.engine.runUntilIdle()
            #expect(try await harness.task(pending)?.status == .completed)
        }
    }

    @Test("an embedder without the handlers' module gets only the engine's tables", arguments: StoreKind.available)
    func engineOnly(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            for table in ["users", "conversations", "messages", "events"] {
                await #expect(throws: (any Error).self) { _ = try await db.query("SELECT count(*) FROM \(table)", []) }
            }
            let tasks = try await db.query("SELECT CAST(count(*) AS TEXT) FROM agent_tasks", [])
            #expect(tasks == [["0"]])
        }
    }
}
