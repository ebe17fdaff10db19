import Foundation

/// A task as the CLI and the HTTP API show it: stored JSON appears as JSON, the error
/// history as a list, and the action log alongside when asked for.
public struct TaskRepresentation: Sendable, Encodable {
    public let task: AgentTask
    public let actionLog: [ActionLogEntry]?
    public let webhooks: [WebhookDelivery]?

    public init(_ task: AgentTask, actionLog: [ActionLogEntry]? = nil, webhooks: [WebhookDelivery]? = nil) {
        self.task = task
        self.actionLog = actionLog
        self.webhooks = webhooks
    }

    enum CodingKeys: String, CodingKey {
        case id, status, priority, attempt, context, result, errors, progress
        case taskType = "task_type"
        case agentType = "agent_type"
        case userID = "user_id"
        case contextID = "context_id"
        case contextType = "context_type"
        case scheduledFor = "scheduled_for"
        case retryCount = "retry_count"
        case maxRetries = "max_retries"
        case lastAttemptedAt = "last_attempted_at"
        case completedAt = "completed_at"
        case createdAt = "created_at"
        case createdBy = "created_by"
        case updatedAt = "updated_at"
        case lockedBy = "locked_by"
        case lockedUntil = "locked_until"
        case idempotencyKey = "idempotency_key"
        case actionLog = "action_log"
        case cancelRequestedAt = "cancel_requested_at"
        case callbackURL = "callback_url"
        case webhooks
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(task.id.lowercasedString, forKey: .id)
        try container.encode(task.taskType, forKey: .taskType)
        try container.encode(task.agentType, forKey: .agentType)
        try container.encode(task.status, forKey: .status)
        try container.encode(task.priority, forKey: .priority)
        try container.encodeIfPresent(task.userID?.lowercasedString, forKey: .userID)
        try container.encodeIfPresent(task.contextID?.lowercasedString, forKey: .contextID)
        try container.encodeIfPresent(task.contextType, forKey: .contextType)
        try container.encode(Timestamp.string(from: task.scheduledFor), forKey: .scheduledFor)
        try container.encode(task.retryCount, forKey: .retryCount)
        try container.encode(task.maxRetries, forKey: .maxRetries)
        try container.encodeIfPresent(task.lastAttemptedAt.map(Timestamp.string(from:)), forKey: .lastAttemptedAt)
        try container.encodeIfPresent(task.completedAt.map(Timestamp.string(from:)), forKey: .completedAt)
        try container.encode(Timestamp.string(from: task.createdAt), forKey: .createdAt)
        try container.encodeIfPresent(task.createdBy, forKey: .createdBy)
        try container.encode(Timestamp.string(from: task.updatedAt), forKey: .updatedAt)
        try container.encodeIfPresent(task.lockedBy, forKey: .lockedBy)
        try container.encodeIfPresent(task.lockedUntil.map(Timestamp.string(from:)), forKey: .lockedUntil)
        try container.encodeIfPresent(task.idempotencyKey, forKey: .idempotencyKey)
        try container.encode(JSONValue(parsing: task.contextJSON) ?? .string(task.contextJSON), forKey: .context)
        try container.encodeIfPresent(task.resultJSON.map { JSONValue(parsing: $0) ?? .string($0) }, forKey: .result)
        try container.encodeIfPresent(task.cancelRequestedAt.map(Timestamp.string(from:)), forKey: .cancelRequestedAt)
        try container.encodeIfPresent(task.callbackURL, forKey: .callbackURL)
        try container.encodeIfPresent(task.progressJSON.flatMap(TaskProgress.init(json:)), forKey: .progress)
        let errors = task.errorLog.map { $0.split(separator: "\n").map(String.init) } ?? []
        try container.encode(errors, forKey: .errors)
        if let actionLog {
            try container.encode(actionLog.map(ActionLogRepresentation.init), forKey: .actionLog)
        }
        if let webhooks {
            try container.encode(webhooks.map(WebhookDeliveryRepresentation.init), forKey: .webhooks)
        }
    }
}
