import Foundation
import PostgresNIO
import Scheduler

/// Retention: batches deleted under a transaction-level advisory lock, so one instance
/// prunes at a time and no lock outlives its batch.
extension PostgresTaskStore {
    public func prune(_ target: PruneTarget, before: Date, limit: Int) async throws -> Int? {
        let table = PruneSQL.table(target)
        let sql = """
            DELETE FROM \(table) WHERE id IN (
                SELECT id FROM \(table) WHERE \(PruneSQL.condition(target, before: "$1")) \(PruneSQL.order(target))
                LIMIT $2 FOR UPDATE SKIP LOCKED)
            """
        return try await withTransaction { connection -> Int? in
            let locked = try await connection.query(
                "SELECT pg_try_advisory_xact_lock(hashtextextended('agent_scheduler.prune', 0))", logger: logger
            ).collect()
            guard try locked.first?.decode(Bool.self) == true else { return nil }
            var binds = PostgresBindings(capacity: 2)
            binds.append(before)
            binds.append(limit)
            let deleted = try await connection.query(PostgresQuery(unsafeSQL: sql + " RETURNING 1", binds: binds), logger: logger)
                .collect()
            return deleted.count
        }
    }

    public func countPrunable(_ target: PruneTarget, before: Date) async throws -> Int {
        var binds = PostgresBindings(capacity: 1)
        binds.append(before)
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: "SELECT count(*) FROM \(PruneSQL.table(target)) WHERE \(PruneSQL.condition(target, before: "$1"))",
                binds: binds),
            logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
