import Foundation
import Logging
import SQLiteNIO
import Scheduler

/// Attempts' results and leases: writing a batch of results (with their log rows and
/// webhooks), renewing leases, and rescuing expired ones.
extension SQLiteTaskStore {
    public func finish(_ records: [AttemptRecord]) async throws -> Set<UUID> {
        guard !records.isEmpty else { return [] }
        let webhooks = webhooks
        let applied = try await transaction { connection in
            let applied = try await Self.apply(records, on: connection).applied(records)
            try await Self.insert(NewWebhookDelivery.deliveries(for: applied, to: webhooks), on: connection)
            return applied
        }
        events.publish(applied.flatMap { TaskEvent.finished($0, rescued: false) })
        return Set(applied.map(\.task.id))
    }

    /// The columns of one attempt result, in the order ``attemptValues(_:)`` binds them.
    private static let attemptColumns = [
        "id", "worker", "retry_count", "status", "increment", "retry_at", "result", "completed_at",
        "error_line", "error", "latency", "attempt", "started_at", "finished_at", "progress", "outcome", "wait",
    ]

    /// This connection's own table of the attempt results being written, so that a batch
    /// is parsed once and then read by both the task update and the action-log insert.
    /// It is filled and emptied inside each write's transaction.
    static let attemptResultsTable =
        "CREATE TEMP TABLE IF NOT EXISTS attempt_results (\(attemptColumns.joined(separator: ", ")))"

    /// An `INSERT` of a batch of attempt results into `attempt_results`, one bound
    /// parameter per value, so SQLite reads them without encoding or parsing JSON.
    /// 500 results (the largest batch) take 7,000 of SQLite's 32,766 parameters.
    static func attemptValues(_ records: [AttemptRecord]) -> (sql: String, binds: [SQLiteData]) {
        var binds: [SQLiteData] = []
        binds.reserveCapacity(records.count * attemptColumns.count)
        for record in records {
            let change = AttemptChange(record)
            binds += [
                SQLiteValue.bind(record.task.id), .text(record.workerID), SQLiteValue.bind(record.task.retryCount),
                .text(change.status.rawValue), SQLiteValue.bind(change.retryIncrement), SQLiteValue.bind(change.retryAt),
                SQLiteValue.bind(change.resultJSON), SQLiteValue.bind(change.completedAt),
                SQLiteValue.bind(change.errorLine), SQLiteValue.bind(record.outcome.error),
                SQLiteValue.bind(record.latencyMs), SQLiteValue.bind(record.task.attempt),
                SQLiteValue.bind(record.startedAt), SQLiteValue.bind(record.finishedAt),
                SQLiteValue.bind(record.progressJSON), .text(record.outcome.word), SQLiteValue.bind(record.waitMs),
            ]
        }
        let row = "(" + Array(repeating: "?", count: attemptColumns.count).joined(separator: ", ") + ")"
        let sql = "INSERT INTO temp.attempt_results (\(attemptColumns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: records.count).joined(separator: ", ")
        return (sql, binds)
    }

    /// Writes a batch of attempt results: the task updates, then the action-log rows of
    /// those that applied, each applied only while its worker still holds the task for
    /// the same attempt; a task whose cancellation was requested ends `cancelled`
    /// whatever its attempt returned. Runs inside a transaction.
    static func apply(_ records: [AttemptRecord], on connection: SQLiteConnection) async throws -> AppliedAttempts {
        let batch = attemptValues(records)
        _ = try await connection.rows(batch.sql, batch.binds)
        let updated = try await connection.rows(
            """
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
                    ELSE t.error_log || char(10) || i.error_line END,
                progress_json = COALESCE(i.progress, t.progress_json),
                locked_by = NULL, locked_until = NULL, updated_at = i.finished_at
            FROM temp.attempt_results AS i
            WHERE t.id = i.id AND t.status = 'processing' AND t.locked_by = i.worker AND t.retry_count = i.retry_count
            RETURNING id, status
            """
        )
        var applied = AppliedAttempts()
        for row in updated {
            let id = try SQLiteValue.uuid(row, "id")
            applied.ids.insert(id)
            if try SQLiteValue.string(row, "status") == TaskStatus.cancelled.rawValue { applied.cancelled.insert(id) }
        }
        if applied.ids.count < records.count {
            // Only the results that applied get an action-log row.
            _ = try await connection.rows(
                "DELETE FROM temp.attempt_results WHERE id NOT IN (SELECT value FROM json_each(?1))",
                [SQLiteValue.bindList(Array(applied.ids))]
            )
        }
        _ = try await connection.rows(
            """
            INSERT INTO agent_actions_log (
                agent_type, action_type, user_id, context_id, context_type, latency_ms,
                input_data, output_data, error, attempt, worker_id, started_at, created_at, outcome, wait_ms)
            SELECT 'task_processor', 'process_' || t.task_type, t.user_id, t.id, 'agent_task', i.latency,
                t.context_json,
                CASE WHEN t.status = 'cancelled' THEN NULL ELSE i.result END,
                CASE WHEN t.status = 'cancelled' THEN COALESCE(i.error, '\(AttemptRecord.cancelReason)') ELSE i.error END,
                i.attempt, i.worker, i.started_at, i.finished_at,
                CASE WHEN t.status = 'cancelled' THEN 'cancelled' ELSE i.outcome END, i.wait
            FROM temp.attempt_results AS i JOIN agent_tasks AS t ON t.id = i.id
            """
        )
        _ = try await connection.rows("DELETE FROM temp.attempt_results")
        return applied
    }

    public func extendLeases(_ attempts: [UUID: Int], workerID: String, until: Date) async throws -> Set<UUID> {
        guard !attempts.isEmpty else { return [] }
        let held = attempts.map { #"["\#($0.key.lowercasedString)",\#($0.value)]"# }.joined(separator: ",")
        let rows = try await query(
            """
            UPDATE agent_tasks SET locked_until = ?1
            WHERE (id, attempts + 1) IN (
                SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?2))
              AND status = 'processing' AND locked_by = ?3
            RETURNING id
            """,
            [SQLiteValue.bind(until), .text("[\(held)]"), .text(workerID)]
        )
        return Set(try rows.map { try SQLiteValue.uuid($0, "id") })
    }

    public func rescueExpiredLeases(now: Date, policy: RetryPolicy, limit: Int) async throws -> [UUID] {
        let rescued = try await transaction { connection -> [AttemptRecord] in
            let rows = try await connection.rows(
                """
                SELECT \(SQLiteTaskRow.columns) FROM agent_tasks
                WHERE status = 'processing' AND locked_until < ?1
                ORDER BY locked_until LIMIT ?2
                """,
                [SQLiteValue.bind(now), SQLiteValue.bind(limit)]
            )
            let records = try rows.map { LeaseRescue.record(for: try SQLiteTaskRow.task(from: $0), now: now, policy: policy) }
            guard !records.isEmpty else { return [] }
            let rescued = try await Self.apply(records, on: connection).applied(records)
            try await Self.insert(NewWebhookDelivery.deliveries(for: rescued, to: webhooks), on: connection)
            return rescued
        }
        events.publish(rescued.flatMap { TaskEvent.finished($0, rescued: true) })
        return rescued.map(\.task.id)
    }
}
