import Logging
import PostgresNIO
import Scheduler

/// Applies a ``MigrationPlan`` to PostgreSQL in one transaction, one migrator at a time
/// across every instance starting together, recording each step in `schema_migrations`.
struct PostgresMigrator {
    let connection: PostgresConnection
    let logger: Logger

    /// The advisory lock that serialises migrators.
    static let lockKey = 7_412_100_001

    func apply(_ plan: MigrationPlan) async throws -> [AppliedMigration] {
        try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
        try await prepareTable()
        var applied: Set<AppliedMigration> = []
        for try await (track, version) in try await connection.query(
            "SELECT track, version FROM schema_migrations", logger: logger
        ).decode((String, Int).self) {
            applied.insert(AppliedMigration(track: track, version: version))
        }
        if !applied.contains(AppliedMigration(track: SchedulerSchema.track, version: 1)),
            try await PostgresAdoption.needed(on: connection, logger: logger)
        {
            try await PostgresAdoption(connection: connection, logger: logger).adopt()
        }
        var newlyApplied: [AppliedMigration] = []
        for step in plan.pending(applied: applied) {
            for statement in step.migration.statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.query(
                """
                INSERT INTO schema_migrations (track, version, name)
                VALUES (\(step.track), \(step.migration.version), \(step.migration.name))
                """,
                logger: logger
            )
            newlyApplied.append(AppliedMigration(track: step.track, version: step.migration.version))
        }
        return newlyApplied
    }

    /// Creates `schema_migrations`, or gives one from before tracks existed its `track`
    /// column, with every row it holds on the engine's track.
    private func prepareTable() async throws {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                track TEXT NOT NULL,
                version INTEGER NOT NULL,
                name TEXT NOT NULL,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                PRIMARY KEY (track, version)
            )
            """,
            logger: logger
        )
        let tracked = try await connection.query(
            """
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = 'schema_migrations' AND column_name = 'track'
            """,
            logger: logger
        ).collect()
        guard tracked.isEmpty else { return }
        for statement in [
            "ALTER TABLE schema_migrations ADD COLUMN track TEXT NOT NULL DEFAULT '\(SchedulerSchema.track)'",
            "ALTER TABLE schema_migrations ALTER COLUMN track DROP DEFAULT",
            "ALTER TABLE schema_migrations DROP CONSTRAINT schema_migrations_pkey",
            "ALTER TABLE schema_migrations ADD PRIMARY KEY (track, version)",
        ] {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }
}
