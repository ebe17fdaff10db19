import Foundation
import SQLiteNIO

/// Maps between model values and SQLite's storage: UUIDs as lowercase text, times as
/// ``Timestamp`` text, JSON as text. The one place that knows the column list.
enum SQLiteTaskRow {
    static let columns = """
        id, task_type, agent_type, user_id, context_id, context_type, scheduled_for, priority, status, \
        retry_count, max_retries, last_attempted_at, completed_at, created_at, created_by, context_json, \
        result_json, error_log, locked_by, locked_until, idempotency_key, updated_at
        """

    static func task(from row: SQLiteRow) throws -> AgentTask {
        let priority = try string(row, "priority")
        let status = try string(row, "status")
        return AgentTask(
            id: try uuid(row, "id"),
            taskType: try string(row, "task_type"),
            agentType: try string(row, "agent_type"),
            userID: try optionalUUID(row, "user_id"),
            contextID: try optionalUUID(row, "context_id"),
            contextType: optionalString(row, "context_type"),
            scheduledFor: try date(row, "scheduled_for"),
            priority: try TaskPriority(rawValue: priority).orThrow(StoreDecodingError(column: "priority", value: priority)),
            status: try TaskStatus(rawValue: status).orThrow(StoreDecodingError(column: "status", value: status)),
            retryCount: try int(row, "retry_count"),
            maxRetries: try int(row, "max_retries"),
            lastAttemptedAt: try optionalDate(row, "last_attempted_at"),
            completedAt: try optionalDate(row, "completed_at"),
            createdAt: try date(row, "created_at"),
            createdBy: optionalString(row, "created_by"),
            contextJSON: optionalString(row, "context_json") ?? "",
            resultJSON: optionalString(row, "result_json"),
            errorLog: optionalString(row, "error_log"),
            lockedBy: optionalString(row, "locked_by"),
            lockedUntil: try optionalDate(row, "locked_until"),
            idempotencyKey: optionalString(row, "idempotency_key"),
            updatedAt: try date(row, "updated_at")
        )
    }

    static func actionLogEntry(from row: SQLiteRow) throws -> ActionLogEntry {
        ActionLogEntry(
            id: Int64(try int(row, "id")),
            agentType: try string(row, "agent_type"),
            actionType: try string(row, "action_type"),
            userID: try optionalUUID(row, "user_id"),
            contextID: try optionalUUID(row, "context_id"),
            contextType: optionalString(row, "context_type"),
            latencyMs: row.column("latency_ms")?.integer.map { Int($0) },
            inputData: optionalString(row, "input_data"),
            outputData: optionalString(row, "output_data"),
            error: optionalString(row, "error"),
            attempt: row.column("attempt")?.integer.map { Int($0) },
            workerID: optionalString(row, "worker_id"),
            startedAt: try optionalDate(row, "started_at"),
            createdAt: try date(row, "created_at")
        )
    }

    // MARK: Binding values

    static func bind(_ value: String?) -> SQLiteData { value.map { .text($0) } ?? .null }
    static func bind(_ value: Int) -> SQLiteData { .integer(SQLiteInt64(value)) }
    static func bind(_ value: UUID?) -> SQLiteData { value.map { .text($0.uuidString.lowercased()) } ?? .null }
    static func bind(_ value: Date?) -> SQLiteData { value.map { .text(Timestamp.string(from: $0)) } ?? .null }

    /// A JSON array of values, for `IN (SELECT value FROM json_each(?))`.
    static func bindList(_ values: [String]) -> SQLiteData {
        .text(String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self))
    }

    static func bindList(_ ids: [UUID]) -> SQLiteData {
        bindList(ids.map { $0.uuidString.lowercased() })
    }

    // MARK: Reading values

    static func optionalString(_ row: SQLiteRow, _ column: String) -> String? {
        guard let data = row.column(column), !data.isNull else { return nil }
        return data.string
    }

    static func string(_ row: SQLiteRow, _ column: String) throws -> String {
        try optionalString(row, column).orThrow(StoreDecodingError(column: column, value: "NULL"))
    }

    static func int(_ row: SQLiteRow, _ column: String) throws -> Int {
        guard let value = row.column(column)?.integer else {
            throw StoreDecodingError(column: column, value: row.column(column)?.description ?? "NULL")
        }
        return Int(value)
    }

    static func optionalUUID(_ row: SQLiteRow, _ column: String) throws -> UUID? {
        guard let text = optionalString(row, column) else { return nil }
        return try UUID(uuidString: text).orThrow(StoreDecodingError(column: column, value: text))
    }

    static func uuid(_ row: SQLiteRow, _ column: String) throws -> UUID {
        try optionalUUID(row, column).orThrow(StoreDecodingError(column: column, value: "NULL"))
    }

    static func optionalDate(_ row: SQLiteRow, _ column: String) throws -> Date? {
        guard let text = optionalString(row, column) else { return nil }
        return try Timestamp.date(from: text).orThrow(StoreDecodingError(column: column, value: text))
    }

    static func date(_ row: SQLiteRow, _ column: String) throws -> Date {
        try optionalDate(row, column).orThrow(StoreDecodingError(column: column, value: "NULL"))
    }
}
