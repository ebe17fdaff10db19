import Foundation
import SQLiteNIO
import Scheduler

/// Retention: each batch is one short write transaction (SQLite has one writer, so no
/// other instance can be pruning).
extension SQLiteTaskStore {
    public func prune(_ target: PruneTarget, before: Date, limit: Int) async throws -> Int? {
        let table = PruneSQL.table(target)
        return try await query(
            """
            DELETE FROM \(table) WHERE id IN (
                SELECT id FROM \(table) WHERE \(PruneSQL.condition(target, before: "?1")) \(PruneSQL.order(target)) LIMIT ?2)
            RETURNING 1
            """,
            [SQLiteValue.bind(before), SQLiteValue.bind(limit)]
        ).count
    }

    public func countPrunable(_ target: PruneTarget, before: Date) async throws -> Int {
        let rows = try await query(
            "SELECT count(*) AS n FROM \(PruneSQL.table(target)) WHERE \(PruneSQL.condition(target, before: "?1"))",
            [SQLiteValue.bind(before)])
        return try rows.first.map { try SQLiteValue.int($0, "n") } ?? 0
    }
}
