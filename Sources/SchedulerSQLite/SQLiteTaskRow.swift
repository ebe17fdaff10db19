import Foundation
import SQLiteNIO
import Scheduler

/// Maps SQLite rows to model values; the one place that knows the column list.
enum SQLiteTaskRow {
    static let columns = """
        id, task_type, agent_type, user_id, context_id, context_type, scheduled_for, priority, status, \
        retry_count, max_retries, last_attempted_at, completed_at, created_at, created_by, context_json, \
        result_json, error_log, locked_by, locked_until, idempotency_key, updated_at, attempts, \
        progress_json, cancel_requested_at, callback_url
        """

    static func task(from row: SQLiteRow) throws -> AgentTask {
        let priority = try SQLiteValue.string(row, "priority")
        let status = try SQLiteValue.string(row, "status")
        return AgentTask(
            id: try SQLiteValue.uuid(row, "id"),
            taskType: try SQLiteValue.string(row, "task_type"),
            agentType: try SQLiteValue.string(row, "agent_type"),
            userID: try SQLiteValue.optionalUUID(row, "user_id"),
            contextID: try SQLiteValue.optionalUUID(row, "context_id"),
            contextType: SQLiteValue.optionalString(row, "context_type"),
            scheduledFor: try SQLiteValue.date(row, "scheduled_for"),
            priority: try TaskPriority(rawValue: priority).orThrow(StoreDecodingError(column: "priority", value: priority)),
            status: try TaskStatus(rawValue: status).orThrow(StoreDecodingError(column: "status", value: status)),
            retryCount: try SQLiteValue.int(row, "retry_count"),
            maxRetries: try SQLiteValue.int(row, "max_retries"),
            lastAttemptedAt: try SQLiteValue.optionalDate(row, "last_attempted_at"),
            completedAt: try SQLiteValue.optionalDate(row, "completed_at"),
            createdAt: try SQLiteValue.date(row, "created_at"),
            createdBy: SQLiteValue.optionalString(row, "created_by"),
            contextJSON: SQLiteValue.optionalString(row, "context_json") ?? "",
            resultJSON: SQLiteValue.optionalString(row, "result_json"),
            errorLog: SQLiteValue.optionalString(row, "error_log"),
            lockedBy: SQLiteValue.optionalString(row, "locked_by"),
            lockedUntil: try SQLiteValue.optionalDate(row, "locked_until"),
            idempotencyKey: SQLiteValue.optionalString(row, "idempotency_key"),
            updatedAt: try SQLiteValue.date(row, "updated_at"),
            attempts: try SQLiteValue.int(row, "attempts"),
            progressJSON: SQLiteValue.optionalString(row, "progress_json"),
            cancelRequestedAt: try SQLiteValue.optionalDate(row, "cancel_requested_at"),
            callbackURL: SQLiteValue.optionalString(row, "callback_url")
        )
    }

    static func actionLogEntry(from row: SQLiteRow) throws -> ActionLogEntry {
        ActionLogEntry(
            id: Int64(try SQLiteValue.int(row, "id")),
            agentType: try SQLiteValue.string(row, "agent_type"),
            actionType: try SQLiteValue.string(row, "action_type"),
            userID: try SQLiteValue.optionalUUID(row, "user_id"),
            contextID: try SQLiteValue.optionalUUID(row, "context_id"),
            contextType: SQLiteValue.optionalString(row, "context_type"),
            latencyMs: row.column("latency_ms")?.integer.map { Int($0) },
            inputData: SQLiteValue.optionalString(row, "input_data"),
            outputData: SQLiteValue.optionalString(row, "output_data"),
            error: SQLiteValue.optionalString(row, "error"),
            attempt: row.column("attempt")?.integer.map { Int($0) },
            workerID: SQLiteValue.optionalString(row, "worker_id"),
            startedAt: try SQLiteValue.optionalDate(row, "started_at"),
            createdAt: try SQLiteValue.date(row, "created_at")
        )
    }
}
