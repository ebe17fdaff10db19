import Foundation
import Logging
import PostgresNIO
import Scheduler

/// Attempts' results and leases: writing a batch of results (with their log rows and
/// webhooks), renewing leases, and rescuing expired ones.
extension PostgresTaskStore {
    public func finish(_ records: [AttemptRecord]) async throws -> Set<UUID> {
        guard !records.isEmpty else { return [] }
        let applied: [AttemptRecord]
        if records.contains(where: { webhooks.wants($0.task) }) {
            // The webhooks go in the transaction of the states they announce.
            applied = try await withTransaction { connection in
                let applied = try await Self.apply(records, rescue: false, origin: announcer, on: connection, logger: logger)
                    .applied(records)
                try await Self.insert(NewWebhookDelivery.deliveries(for: applied, to: webhooks), on: connection, logger: logger)
                return applied
            }
        } else {
            applied = try await client.withConnection { connection in
                try await Self.apply(records, rescue: false, origin: announcer, on: connection, logger: logger).applied(records)
            }
        }
        events.publish(applied.flatMap { TaskEvent.finished($0, rescued: false) })
        try await announceFreedLimits(applied)
        return Set(applied.map(\.task.id))
    }

    /// A finished task of a type with a concurrency limit frees a slot that other
    /// instances may be waiting for: they are woken (the NOTIFY an insert sends) instead
    /// of finding it at their next poll. Costs nothing for types without limits.
    func announceFreedLimits(_ applied: [AttemptRecord]) async throws {
        let freed = Set(applied.map(\.task.taskType).filter { limits[$0]?.concurrency != nil })
        guard !freed.isEmpty else { return }
        _ = try await client.query(
            "SELECT pg_notify('\(unescaped: PostgresWakeListener.channel)', t) FROM unnest(\(Array(freed))::text[]) AS t",
            logger: logger
        ).collect()
    }

    /// Writes a batch of attempt results and their action-log rows in one statement (so
    /// one round trip and one commit for the batch), each applied only while its worker
    /// still holds the task for the same attempt, with the notices of their events
    /// (`task.rescued` for a `rescue`); a task whose cancellation was requested ends
    /// `cancelled` whatever its attempt returned.
    ///
    /// PostgresNIO binds no arrays of optionals, so absent values travel as '' or the
    /// epoch and NULLIF turns them back into NULL. `bench/floor/results.sql` repeats this
    /// statement for pgbench (the database's floor): change both together.
    static func apply(
        _ records: [AttemptRecord], rescue: Bool, origin: String?, on connection: PostgresConnection, logger: Logger
    ) async throws -> AppliedAttempts {
        let changes = records.map(AttemptChange.init)
        let none = Date(timeIntervalSince1970: 0)
        let ids = records.map(\.task.id)
        let workers = records.map(\.workerID)
        let retryCounts = records.map(\.task.retryCount)
        let statuses = changes.map(\.status.rawValue)
        let increments = changes.map(\.retryIncrement)
        let retryAts = changes.map { $0.retryAt ?? none }
        let results = changes.map { $0.resultJSON ?? "" }
        let completedAts = changes.map { $0.completedAt ?? none }
        let errorLines = changes.map { $0.errorLine ?? "" }
        let errors = records.map { $0.outcome.error ?? "" }
        let latencies = records.map(\.latencyMs)
        let attempts = records.map(\.task.attempt)
        let startedAts = records.map(\.startedAt)
        let finishedAts = records.map(\.finishedAt)
        let progresses = records.map { $0.progressJSON ?? "" }
        let outcomes = records.map(\.outcome.word)
        let waits = records.map(\.waitMs)
        let kind = rescue
            ? "'\(TaskEvent.Kind.rescued.rawValue)'"
            : """
            CASE c.status WHEN 'completed' THEN '\(TaskEvent.Kind.completed.rawValue)'
                WHEN 'failed' THEN '\(TaskEvent.Kind.failed.rawValue)'
                WHEN 'cancelled' THEN '\(TaskEvent.Kind.cancelled.rawValue)' ELSE '\(TaskEvent.Kind.retryScheduled.rawValue)' END
            """
        var query: PostgresQuery =
            """
            WITH input AS (
                SELECT i.id, i.worker, i.retry_count, i.status, i.increment,
                       NULLIF(i.retry_at, 'epoch'::timestamptz) AS retry_at, NULLIF(i.result, '')::jsonb AS result,
                       NULLIF(i.completed_at, 'epoch'::timestamptz) AS completed_at,
                       NULLIF(i.error_line, '') AS error_line, NULLIF(i.error, '') AS error,
                       i.latency, i.attempt, i.started_at, i.finished_at, NULLIF(i.progress, '')::jsonb AS progress,
                       i.outcome, i.wait
                FROM unnest(\(ids)::uuid[], \(workers)::text[], \(retryCounts)::int[], \(statuses)::text[],
                            \(increments)::int[], \(retryAts)::timestamptz[], \(results)::text[],
                            \(completedAts)::timestamptz[], \(errorLines)::text[], \(errors)::text[],
                            \(latencies)::int[], \(attempts)::int[], \(startedAts)::timestamptz[],
                            \(finishedAts)::timestamptz[], \(progresses)::text[], \(outcomes)::text[], \(waits)::int8[])
                    AS i(id, worker, retry_count, status, increment, retry_at, result, completed_at, error_line,
                         error, latency, attempt, started_at, finished_at, progress, outcome, wait)
            ),
            updated AS (
                UPDATE agent_tasks AS t
                SET status = CASE WHEN t.cancel_requested_at IS NULL THEN i.status ELSE 'cancelled' END,
                    retry_count = t.retry_count + CASE WHEN t.cancel_requested_at IS NULL THEN i.increment ELSE 0 END,
                    attempts = t.attempts + 1,
                    scheduled_for = CASE WHEN t.cancel_requested_at IS NULL THEN COALESCE(i.retry_at, t.scheduled_for)
                        ELSE t.scheduled_for END,
                    result_json = CASE WHEN t.cancel_requested_at IS NULL THEN COALESCE(i.result, t.result_json)
                        ELSE t.result_json END,
                    completed_at = CASE WHEN t.cancel_requested_at IS NULL THEN i.completed_at END,
                    error_log = CASE
                        WHEN i.error_line IS NULL THEN t.error_log
                        WHEN t.error_log IS NULL OR t.error_log = '' THEN i.error_line
                        ELSE t.error_log || E'\\n' || i.error_line END,
                    progress_json = COALESCE(i.progress, t.progress_json),
                    locked_by = NULL, locked_until = NULL, updated_at = i.finished_at
                FROM input AS i
                WHERE t.id = ANY(\(ids)::uuid[]) AND t.id = i.id
                  AND t.status = 'processing' AND t.locked_by = i.worker AND t.retry_count = i.retry_count
                RETURNING t.id, t.user_id, t.task_type, t.context_json, t.status, t.attempts
            )
            """
        if let origin {
            let notices = PostgresEventNotice.notices(
                kind: kind, attempt: "c.attempts", worker: "i.worker", from: "updated AS c JOIN input AS i ON i.id = c.id")
            query.binds.append(origin)
            query.sql += """
                , notified AS (
                    SELECT pg_notify('\(PostgresEventNotice.channel)', $\(query.binds.count)::text || \(notices))
                """
        }
        query.sql += """

            INSERT INTO agent_actions_log (
                agent_type, action_type, user_id, context_id, context_type, latency_ms,
                input_data, output_data, error, attempt, worker_id, started_at, created_at, outcome, wait_ms)
            SELECT 'task_processor', 'process_' || u.task_type, u.user_id, u.id, 'agent_task', i.latency,
                u.context_json,
                CASE WHEN u.status = 'cancelled' THEN NULL ELSE i.result END,
                CASE WHEN u.status = 'cancelled' THEN COALESCE(i.error, '\(AttemptRecord.cancelReason)') ELSE i.error END,
                i.attempt, i.worker, i.started_at, i.finished_at,
                CASE WHEN u.status = 'cancelled' THEN 'cancelled' ELSE i.outcome END, i.wait
            FROM updated AS u JOIN input AS i ON i.id = u.id
            WHERE \(origin == nil ? "true" : PostgresEventNotice.sentFirst)
            RETURNING context_id, outcome
            """
        let rows = try await connection.query(query, logger: logger)
        var applied = AppliedAttempts()
        for try await (id, outcome) in rows.decode((UUID, String).self) {
            applied.ids.insert(id)
            if outcome == TaskStatus.cancelled.rawValue { applied.cancelled.insert(id) }
        }
        return applied
    }

    public func extendLeases(_ attempts: [UUID: Int], workerID: String, until: Date) async throws -> Set<UUID> {
        guard !attempts.isEmpty else { return [] }
        let ids = Array(attempts.keys)
        let numbers = ids.map { attempts[$0] ?? 0 }
        let rows = try await client.query(
            """
            UPDATE agent_tasks AS t SET locked_until = \(until)
            FROM unnest(\(ids)::uuid[], \(numbers)::int[]) AS held(id, attempt)
            WHERE t.id = held.id AND t.attempts + 1 = held.attempt AND t.status = 'processing'
              AND t.locked_by = \(workerID)
            RETURNING t.id
            """,
            logger: logger
        )
        var held: Set<UUID> = []
        for try await id in rows.decode(UUID.self) { held.insert(id) }
        return held
    }

    public func rescueExpiredLeases(now: Date, policy: RetryPolicy, limit: Int) async throws -> [UUID] {
        let rescued = try await withTransaction { connection -> [AttemptRecord] in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: PostgresTaskRow.columns) FROM agent_tasks
                WHERE status = 'processing' AND locked_until < \(now)
                ORDER BY locked_until
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
                """,
                logger: logger
            ).collect()
            let records = try rows.map { LeaseRescue.record(for: try PostgresTaskRow.task(from: $0), now: now, policy: policy) }
            guard !records.isEmpty else { return [] }
            let rescued = try await Self.apply(records, rescue: true, origin: announcer, on: connection, logger: logger)
                .applied(records)
            try await Self.insert(NewWebhookDelivery.deliveries(for: rescued, to: webhooks), on: connection, logger: logger)
            return rescued
        }
        events.publish(rescued.flatMap { TaskEvent.finished($0, rescued: true) })
        return rescued.map(\.task.id)
    }
}
