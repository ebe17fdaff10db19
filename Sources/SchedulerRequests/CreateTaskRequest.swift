import Foundation
import Scheduler

/// The body of `POST /tasks` (and each task of `POST /tasks/batch` and of
/// `agent-scheduler enqueue --file`), checked field by field; a bad field is an
/// ``APIError`` that names it.
public struct CreateTaskRequest {
    static let fields: Set<String> = [
        "task_type", "context", "agent_type", "user_id", "context_id", "context_type", "scheduled_for", "priority",
        "max_retries", "idempotency_key", "created_by", "callback_url",
    ]

    public let task: NewTask

    /// Reads the body; a task without `max_retries` gets `defaultMaxRetries` of its type.
    public init(_ object: [String: JSONValue], defaultMaxRetries: (String) -> Int) throws {
        let fields = JSONFields(object: object)
        try fields.rejectUnknown(Self.fields)
        let taskType = try fields.requiredString("task_type", maxLength: 100)
        task = NewTask(
            taskType: taskType,
            agentType: try fields.string("agent_type", maxLength: 50) ?? "api",
            userID: try fields.uuid("user_id"),
            contextID: try fields.uuid("context_id"),
            contextType: try fields.string("context_type", maxLength: 50),
            scheduledFor: try fields.date("scheduled_for"),
            priority: try fields.enumeration("priority", TaskPriority.self) ?? .medium,
            maxRetries: try fields.integer("max_retries", in: 0...100) ?? defaultMaxRetries(taskType),
            contextJSON: try fields.objectText("context") ?? "{}",
            createdBy: try fields.string("created_by", maxLength: 100) ?? "api",
            idempotencyKey: try fields.string("idempotency_key", maxLength: 200),
            callbackURL: try fields.string("callback_url", maxLength: WebhookAddressPolicy.maxLength)
        )
    }
}
