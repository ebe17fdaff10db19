import Foundation
import SQLiteNIO
import Scheduler

/// The reads behind `GET /metrics`' queue gauges and `GET /stats`: the live queue, the
/// failed and cancelled totals, and the last hour's attempts, summed up here.
extension SQLiteTaskStore {
    public func queue(now: Date) async throws -> [TypeQueue] {
        let rows = try await query(
            """
            SELECT task_type, count(*) AS pending, sum(scheduled_for <= ?1) AS due, 0 AS processing,
                   min(CASE WHEN scheduled_for <= ?1 THEN scheduled_for END) AS oldest
            FROM agent_tasks WHERE status = 'pending' GROUP BY task_type
            UNION ALL
            SELECT task_type, 0, 0, count(*), NULL FROM agent_tasks WHERE status = 'processing' GROUP BY task_type
            """,
            [SQLiteValue.bind(now)]
        )
        var queues: [String: TypeQueue] = [:]
        for row in rows {
            let type = try SQLiteValue.string(row, "task_type")
            queues[type, default: TypeQueue(taskType: type)].add(
                pending: try SQLiteValue.int(row, "pending"), due: try SQLiteValue.int(row, "due"),
                processing: try SQLiteValue.int(row, "processing"), oldestDue: try SQLiteValue.optionalDate(row, "oldest"))
        }
        return Array(queues.values)
    }

    public func endedCounts() async throws -> [EndedCount] {
        try await query(
            """
            SELECT task_type, sum(failed) AS failed, sum(cancelled) AS cancelled FROM (
                SELECT task_type, count(*) AS failed, 0 AS cancelled FROM agent_tasks WHERE status = 'failed' GROUP BY task_type
                UNION ALL
                SELECT task_type, 0, count(*) FROM agent_tasks WHERE status = 'cancelled' GROUP BY task_type
            ) GROUP BY task_type
            """
        ).map { row in
            EndedCount(
                taskType: try SQLiteValue.string(row, "task_type"), failed: try SQLiteValue.int(row, "failed"),
                cancelled: try SQLiteValue.int(row, "cancelled"))
        }
    }

    /// Reads the window through the index on `created_at` or the key range of the most
    /// recent `limit` ids, whichever the planner finds narrower, and sums it up here.
    public func attemptSummary(now: Date, limit: Int) async throws -> AttemptSummary {
        let samples = try await query(
            """
            SELECT substr(action_type, 9) AS task_type, worker_id,
                   COALESCE(outcome, CASE WHEN error IS NULL THEN 'completed' ELSE 'retrying' END) AS outcome,
                   COALESCE(latency_ms, 0) AS run_ms, wait_ms, created_at
            FROM agent_actions_log
            WHERE created_at > ?1 AND action_type LIKE 'process\\_%' ESCAPE '\\'
              AND id > (SELECT COALESCE(max(id), 0) FROM agent_actions_log) - ?2
            """,
            [SQLiteValue.bind(now.addingTimeInterval(-3600)), SQLiteValue.bind(limit)]
        ).map { row in
            AttemptSample(
                taskType: try SQLiteValue.string(row, "task_type"), workerID: SQLiteValue.optionalString(row, "worker_id"),
                outcome: try SQLiteValue.string(row, "outcome"), runMs: try SQLiteValue.int(row, "run_ms"),
                waitMs: row.column("wait_ms")?.integer.map { Int($0) }, finishedAt: try SQLiteValue.date(row, "created_at"))
        }
        return AttemptSummary(samples: samples, limit: limit, now: now)
    }
}
