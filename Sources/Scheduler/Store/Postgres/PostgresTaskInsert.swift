import Foundation
import Logging
import PostgresNIO

/// Inserts a task on a given connection: the store's own enqueue, and services that
/// enqueue inside a transaction of their own (``PostgresTaskStore/enqueue(_:on:now:logger:)``).
enum PostgresTaskInsert {
    /// Inserts `task`, or returns the task that holds its idempotency key already.
    static func insert(_ task: NewTask, now: Date, on connection: PostgresConnection, logger: Logger) async throws -> EnqueueResult {
        let scheduledFor = task.scheduledFor ?? now
        let inserted = try await connection.query(
            """
            INSERT INTO agent_tasks (
                task_type, agent_type, user_id, context_id, context_type, scheduled_for, priority,
                max_retries, context_json, created_by, idempotency_key, created_at, updated_at)
            VALUES (
                \(task.taskType), \(task.agentType), \(task.userID), \(task.contextID), \(task.contextType),
                \(scheduledFor), \(task.priority.rawValue), \(task.maxRetries), \(task.contextJSON)::jsonb,
                \(task.createdBy), \(task.idempotencyKey), \(now), \(now))
            ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            RETURNING \(unescaped: PostgresTaskRow.columns)
            """,
            logger: logger
        ).collect()
        if let row = inserted.first {
            return EnqueueResult(task: try PostgresTaskRow.task(from: row), created: true)
        }
        guard let key = task.idempotencyKey,
            let existing = try await connection.query(
                "SELECT \(unescaped: PostgresTaskRow.columns) FROM agent_tasks WHERE idempotency_key = \(key)",
                logger: logger
            ).collect().first
        else {
            throw SchedulerError.invalidInput(field: "idempotency_key", reason: "the conflicting task disappeared; try again")
        }
        return EnqueueResult(task: try PostgresTaskRow.task(from: existing), created: false)
    }
}
