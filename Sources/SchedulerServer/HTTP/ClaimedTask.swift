import Foundation
import Scheduler

/// A task as a remote worker's claim hands it out: what to run, with the lease token
/// every later call about this attempt must carry.
struct ClaimedTask: Encodable {
    let task: AgentTask
    let token: LeaseToken

    init(_ task: AgentTask, token: LeaseToken) {
        self.task = task
        self.token = token
    }

    enum CodingKeys: String, CodingKey {
        case id, context, attempt, priority
        case taskType = "task_type"
        case userID = "user_id"
        case leaseToken = "lease_token"
        case leaseExpiresAt = "lease_expires_at"
        case scheduledFor = "scheduled_for"
        case retryCount = "retry_count"
        case maxRetries = "max_retries"
        case cancelRequested = "cancel_requested"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(task.id.lowercasedString, forKey: .id)
        try container.encode(task.taskType, forKey: .taskType)
        try container.encode(JSONValue(parsing: task.contextJSON) ?? .string(task.contextJSON), forKey: .context)
        try container.encode(task.attempt, forKey: .attempt)
        try container.encode(token.text, forKey: .leaseToken)
        try container.encodeIfPresent(task.lockedUntil.map(Timestamp.string(from:)), forKey: .leaseExpiresAt)
        try container.encodeIfPresent(task.userID?.lowercasedString, forKey: .userID)
        try container.encode(task.priority, forKey: .priority)
        try container.encode(Timestamp.string(from: task.scheduledFor), forKey: .scheduledFor)
        try container.encode(task.retryCount, forKey: .retryCount)
        try container.encode(task.maxRetries, forKey: .maxRetries)
        try container.encode(task.cancelRequestedAt != nil, forKey: .cancelRequested)
    }
}
