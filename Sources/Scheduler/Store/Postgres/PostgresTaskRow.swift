import Foundation
import PostgresNIO

/// Maps PostgreSQL rows to model values; the one place that knows the column list.
enum PostgresTaskRow {
    /// The `agent_tasks` columns the model reads.
    static let columns = [
        "id", "task_type", "agent_type", "user_id", "context_id", "context_type", "scheduled_for",
        "priority", "status", "retry_count", "max_retries", "last_attempted_at", "completed_at",
        "created_at", "created_by", "context_json::text AS context_json", "result_json::text AS result_json",
        "error_log", "locked_by", "locked_until", "idempotency_key", "updated_at",
    ].joined(separator: ", ")

    static func task(from row: PostgresRow) throws -> AgentTask {
        let cells = row.makeRandomAccess()
        let priority = try cells["priority"].decode(String.self)
        let status = try cells["status"].decode(String.self)
        return AgentTask(
            id: try cells["id"].decode(UUID.self),
            taskType: try cells["task_type"].decode(String.self),
            agentType: try cells["agent_type"].decode(String.self),
            userID: try cells["user_id"].decode(UUID?.self),
            contextID: try cells["context_id"].decode(UUID?.self),
            contextType: try cells["context_type"].decode(String?.self),
            scheduledFor: try cells["scheduled_for"].decode(Date.self),
            priority: try TaskPriority(rawValue: priority).orThrow(StoreDecodingError(column: "priority", value: priority)),
            status: try TaskStatus(rawValue: status).orThrow(StoreDecodingError(column: "status", value: status)),
            retryCount: try cells["retry_count"].decode(Int.self),
            maxRetries: try cells["max_retries"].decode(Int.self),
            lastAttemptedAt: try cells["last_attempted_at"].decode(Date?.self),
            completedAt: try cells["completed_at"].decode(Date?.self),
            createdAt: try cells["created_at"].decode(Date.self),
            createdBy: try cells["created_by"].decode(String?.self),
            contextJSON: try cells["context_json"].decode(String.self),
            resultJSON: try cells["result_json"].decode(String?.self),
            errorLog: try cells["error_log"].decode(String?.self),
            lockedBy: try cells["locked_by"].decode(String?.self),
            lockedUntil: try cells["locked_until"].decode(Date?.self),
            idempotencyKey: try cells["idempotency_key"].decode(String?.self),
            updatedAt: try cells["updated_at"].decode(Date.self)
        )
    }

    static func actionLogEntry(from row: PostgresRow) throws -> ActionLogEntry {
        let cells = row.makeRandomAccess()
        return ActionLogEntry(
            id: try cells["id"].decode(Int64.self),
            agentType: try cells["agent_type"].decode(String.self),
            actionType: try cells["action_type"].decode(String.self),
            userID: try cells["user_id"].decode(UUID?.self),
            contextID: try cells["context_id"].decode(UUID?.self),
            contextType: try cells["context_type"].decode(String?.self),
            latencyMs: try cells["latency_ms"].decode(Int?.self),
            inputData: try cells["input_data"].decode(String?.self),
            outputData: try cells["output_data"].decode(String?.self),
            error: try cells["error"].decode(String?.self),
            attempt: try cells["attempt"].decode(Int?.self),
            workerID: try cells["worker_id"].decode(String?.self),
            startedAt: try cells["started_at"].decode(Date?.self),
            createdAt: try cells["created_at"].decode(Date.self)
        )
    }
}

extension Optional {
    /// The wrapped value, or the given error thrown.
    func orThrow(_ error: @autoclosure () -> some Error) throws -> Wrapped {
        guard let value = self else { throw error() }
        return value
    }
}
