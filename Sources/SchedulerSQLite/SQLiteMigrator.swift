import SQLiteNIO
import Scheduler

/// Applies a ``MigrationPlan`` to a SQLite file inside the caller's write transaction,
/// recording each step in `schema_migrations`.
struct SQLiteMigrator {
    let connection: SQLiteConnection

    static let createTable = """
        CREATE TABLE schema_migrations (
            track TEXT NOT NULL,
            version INTEGER NOT NULL,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL DEFAULT (\(SQLiteMigrations.now)),
            PRIMARY KEY (track, version)
        )
        """

    func apply(_ plan: MigrationPlan) async throws -> [AppliedMigration] {
        try await prepareTable()
        let applied = Set(try await connection.rows("SELECT track, version FROM schema_migrations", []).map { row in
            AppliedMigration(track: try SQLiteValue.string(row, "track"), version: try SQLiteValue.int(row, "version"))
        })
        var newlyApplied: [AppliedMigration] = []
        for step in plan.pending(applied: applied) {
            for statement in step.migration.statements {
                _ = try await connection.rows(statement, [])
            }
            _ = try await connection.rows(
                "INSERT INTO schema_migrations (track, version, name) VALUES (?1, ?2, ?3)",
                [.text(step.track), SQLiteValue.bind(step.migration.version), .text(step.migration.name)]
            )
            newlyApplied.append(AppliedMigration(track: step.track, version: step.migration.version))
        }
        return newlyApplied
    }

    /// Creates `schema_migrations`, or rebuilds one from before tracks existed (SQLite
    /// cannot change a primary key in place) with every row it holds on the engine's track.
    private func prepareTable() async throws {
        let columns = try await connection.rows("SELECT name FROM pragma_table_info('schema_migrations')", [])
            .compactMap { $0.column("name")?.string }
        if columns.isEmpty {
            _ = try await connection.rows(Self.createTable, [])
        } else if !columns.contains("track") {
            for statement in [
                "ALTER TABLE schema_migrations RENAME TO schema_migrations_untracked",
                Self.createTable,
                """
                INSERT INTO schema_migrations (track, version, name, applied_at)
                SELECT '\(SchedulerSchema.track)', version, name, applied_at FROM schema_migrations_untracked
                """,
                "DROP TABLE schema_migrations_untracked",
            ] {
                _ = try await connection.rows(statement, [])
            }
        }
    }
}
