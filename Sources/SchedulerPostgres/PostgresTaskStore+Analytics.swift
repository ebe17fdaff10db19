import Foundation
import PostgresNIO
import Scheduler

/// The reads behind `GET /metrics`' queue gauges and `GET /stats`: the live queue, the
/// failed and cancelled totals, and the last hour's attempts summed up in SQL (by type,
/// by worker and by minute).
extension PostgresTaskStore {
    public func queue(now: Date) async throws -> [TypeQueue] {
        let rows = try await client.query(
            """
            SELECT task_type, count(*)::int8, (count(*) FILTER (WHERE scheduled_for <= \(now)))::int8, 0::int8,
                   min(scheduled_for) FILTER (WHERE scheduled_for <= \(now))
            FROM agent_tasks WHERE status = 'pending' GROUP BY task_type
            UNION ALL
            SELECT task_type, 0, 0, count(*)::int8, NULL FROM agent_tasks WHERE status = 'processing' GROUP BY task_type
            """,
            logger: logger
        )
        var queues: [String: TypeQueue] = [:]
        for try await (type, pending, due, processing, oldest) in rows.decode((String, Int, Int, Int, Date?).self) {
            queues[type, default: TypeQueue(taskType: type)].add(pending: pending, due: due, processing: processing, oldestDue: oldest)
        }
        return Array(queues.values)
    }

    public func endedCounts() async throws -> [EndedCount] {
        let rows = try await client.query(
            """
            SELECT task_type, (count(*) FILTER (WHERE status = 'failed'))::int8,
                   (count(*) FILTER (WHERE status = 'cancelled'))::int8
            FROM agent_tasks WHERE status IN ('failed', 'cancelled') GROUP BY task_type
            """,
            logger: logger
        )
        var counts: [EndedCount] = []
        for try await (type, failed, cancelled) in rows.decode((String, Int, Int).self) {
            counts.append(EndedCount(taskType: type, failed: failed, cancelled: cancelled))
        }
        return counts
    }

    /// Reads the window through the BRIN index on `created_at` and the key range of the
    /// most recent `limit` ids (whichever the planner finds narrower, or both) and sums
    /// it up in the query, so no attempt row leaves the database.
    public func attemptSummary(now: Date, limit: Int) async throws -> AttemptSummary {
        let since = now.addingTimeInterval(-3600)
        let windows = AttemptSummary.windows.map { now.addingTimeInterval(-Double($0) * 60) }
        let rows = try await client.query(
            """
            WITH recent AS (
                SELECT substr(action_type, 9) AS task_type, worker_id,
                       COALESCE(outcome, CASE WHEN error IS NULL THEN 'completed' ELSE 'retrying' END) AS outcome,
                       COALESCE(latency_ms, 0)::int8 AS run_ms, wait_ms, created_at
                FROM agent_actions_log
                WHERE created_at > \(since) AND action_type LIKE 'process\\_%'
                  AND id > (SELECT COALESCE(max(id), 0) FROM agent_actions_log) - \(limit)
            )
            SELECT 'type' AS kind, task_type,
                   count(*) FILTER (WHERE outcome = 'completed' AND created_at > \(windows[0])) AS completed_1m,
                   count(*) FILTER (WHERE outcome = 'completed' AND created_at > \(windows[1])) AS completed_5m,
                   count(*) FILTER (WHERE outcome = 'completed' AND created_at > \(windows[2])) AS completed_60m,
                   count(*) FILTER (WHERE outcome = 'failed' AND created_at > \(windows[0])) AS failed_1m,
                   count(*) FILTER (WHERE outcome = 'failed' AND created_at > \(windows[1])) AS failed_5m,
                   count(*) FILTER (WHERE outcome = 'failed' AND created_at > \(windows[2])) AS failed_60m,
                   count(*) AS attempts, count(*) FILTER (WHERE outcome IN ('retrying', 'failed')) AS failed_attempts,
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY run_ms) AS run_p50,
                   percentile_disc(0.95) WITHIN GROUP (ORDER BY run_ms) AS run_p95,
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY wait_ms) AS wait_p50,
                   percentile_disc(0.95) WITHIN GROUP (ORDER BY wait_ms) AS wait_p95,
                   NULL::float8 AS mean_run, NULL::timestamptz AS last_finished
            FROM recent GROUP BY task_type
            UNION ALL
            SELECT 'worker', worker_id, 0, 0, 0, 0, 0, 0, count(*), count(*) FILTER (WHERE outcome <> 'completed'),
                   NULL, NULL, NULL, NULL, avg(run_ms)::float8, max(created_at)
            FROM recent WHERE worker_id IS NOT NULL GROUP BY worker_id
            UNION ALL
            SELECT 'minute', floor(extract(epoch FROM \(now) - created_at) / 60)::int8::text,
                   count(*) FILTER (WHERE outcome = 'completed'), 0, 0, 0, 0, 0, count(*),
                   count(*) FILTER (WHERE outcome IN ('retrying', 'failed')),
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY run_ms), NULL,
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY wait_ms), NULL, NULL, NULL
            FROM recent WHERE created_at <= \(now) GROUP BY 2
            """,
            logger: logger
        )
        var types: [AttemptSummary.ByType] = []
        var workers: [QueueStats.WorkerStats] = []
        var minutes = MinuteStats.hour(before: now)
        var read = 0
        for try await row in rows {
            var cells = PostgresColumnReader(row)
            let kind: String = try cells.next("kind")
            let name: String = try cells.next("task_type")
            var counts: [Int] = []
            for column in ["completed_1m", "completed_5m", "completed_60m", "failed_1m", "failed_5m", "failed_60m",
                           "attempts", "failed_attempts"] {
                counts.append(try cells.next(column))
            }
            let run: (Int?, Int?) = (try cells.next("run_p50"), try cells.next("run_p95"))
            let wait: (Int?, Int?) = (try cells.next("wait_p50"), try cells.next("wait_p95"))
            let mean: Double? = try cells.next("mean_run")
            let last: Date? = try cells.next("last_finished")
            if kind == "minute" {
                guard let index = Int(name).flatMap(MinuteStats.index(minutesAgo:)) else { continue }
                minutes[index].completed = counts[0]
                minutes[index].failedAttempts = counts[7]
                minutes[index].runMsP50 = run.0
                minutes[index].waitMsP50 = wait.0
                continue
            }
            if kind == "worker" {
                workers.append(QueueStats.WorkerStats(
                    workerID: name, attempts: counts[6], succeeded: counts[6] - counts[7], meanRunMs: mean ?? 0,
                    lastFinishedAt: last ?? now))
                continue
            }
            read += counts[6]
            let keys = AttemptSummary.windows.map { "\($0)m" }
            types.append(AttemptSummary.ByType(
                taskType: name, completedLast: Dictionary(uniqueKeysWithValues: zip(keys, counts[0..<3])),
                failedLast: Dictionary(uniqueKeysWithValues: zip(keys, counts[3..<6])), attempts: counts[6],
                failedAttempts: counts[7], runMs: Self.percentiles(run), waitMs: Self.percentiles(wait)))
        }
        return AttemptSummary(types: types, workers: workers, minutes: minutes, read: read, truncated: read >= limit)
    }

    private static func percentiles(_ pair: (Int?, Int?)) -> QueueStats.Percentiles? {
        guard let p50 = pair.0, let p95 = pair.1 else { return nil }
        return QueueStats.Percentiles(p50: p50, p95: p95)
    }
}
