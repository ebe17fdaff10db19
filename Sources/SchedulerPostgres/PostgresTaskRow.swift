import Foundation
import PostgresNIO
import Scheduler

/// Maps PostgreSQL rows to model values; the one place that knows the column lists, and
/// reads cells in their order (``PostgresColumnReader``).
enum PostgresTaskRow {
    /// The `agent_tasks` columns the model reads.
    static let columns = [
        "id", "task_type", "agent_type", "user_id", "context_id", "context_type", "scheduled_for",
        "priority", "status", "retry_count", "max_retries", "last_attempted_at", "completed_at",
        "created_at", "created_by", "context_json::text AS context_json", "result_json::text AS result_json",
        "error_log", "locked_by", "locked_until", "idempotency_key", "updated_at", "attempts",
        "progress_json::text AS progress_json", "cancel_requested_at", "callback_url",
    ].joined(separator: ", ")

    /// The `agent_actions_log` columns the model reads.
    static let actionLogColumns = [
        "id", "agent_type", "action_type", "user_id", "context_id", "context_type", "latency_ms",
        "input_data::text AS input_data", "output_data::text AS output_data", "error", "attempt", "worker_id",
        "started_at", "created_at",
    ].joined(separator: ", ")

    static func task(from row: PostgresRow) throws -> AgentTask {
        var cells = PostgresColumnReader(row)
        let id: UUID = try cells.next("id")
        let taskType: String = try cells.next("task_type")
        let agentType: String = try cells.next("agent_type")
        let userID: UUID? = try cells.next("user_id")
        let contextID: UUID? = try cells.next("context_id")
        let contextType: String? = try cells.next("context_type")
        let scheduledFor: Date = try cells.next("scheduled_for")
        let priority: String = try cells.next("priority")
        let status: String = try cells.next("status")
        return AgentTask(
            id: id,
            taskType: taskType,
            agentType: agentType,
            userID: userID,
            contextID: contextID,
            contextType: contextType,
            scheduledFor: scheduledFor,
            priority: try TaskPriority(rawValue: priority).orThrow(StoreDecodingError(column: "priority", value: priority)),
            status: try TaskStatus(rawValue: status).orThrow(StoreDecodingError(column: "status", value: status)),
            retryCount: try cells.next("retry_count"),
            maxRetries: try cells.next("max_retries"),
            lastAttemptedAt: try cells.next("last_attempted_at"),
            completedAt: try cells.next("completed_at"),
            createdAt: try cells.next("created_at"),
            createdBy: try cells.next("created_by"),
            contextJSON: try cells.next("context_json"),
            resultJSON: try cells.next("result_json"),
            errorLog: try cells.next("error_log"),
            lockedBy: try cells.next("locked_by"),
            lockedUntil: try cells.next("locked_until"),
            idempotencyKey: try cells.next("idempotency_key"),
            updatedAt: try cells.next("updated_at"),
            attempts: try cells.next("attempts"),
            progressJSON: try cells.next("progress_json"),
            cancelRequestedAt: try cells.next("cancel_requested_at"),
            callbackURL: try cells.next("callback_url")
        )
    }

    static func actionLogEntry(from row: PostgresRow) throws -> ActionLogEntry {
        var cells = PostgresColumnReader(row)
        return ActionLogEntry(
            id: try cells.next("id"),
            agentType: try cells.next("agent_type"),
            actionType: try cells.next("action_type"),
            userID: try cells.next("user_id"),
            contextID: try cells.next("context_id"),
            contextType: try cells.next("context_type"),
            latencyMs: try cells.next("latency_ms"),
            inputData: try cells.next("input_data"),
            outputData: try cells.next("output_data"),
            error: try cells.next("error"),
            attempt: try cells.next("attempt"),
            workerID: try cells.next("worker_id"),
            startedAt: try cells.next("started_at"),
            createdAt: try cells.next("created_at")
        )
    }
}
