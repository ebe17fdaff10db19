import Foundation

/// The JSON body of a webhook: which final state the task reached, with its result or
/// error, attempts and times. Written into the outbox with the state, so the body says
/// what was true then, whatever happens to the task later.
struct WebhookPayload: Encodable {
    let event: TaskEvent.Kind
    let task: AgentTask
    let status: TaskStatus
    let resultJSON: String?
    let error: String?
    let attempts: Int
    let finishedAt: Date

    /// The payload of an attempt record that ended its task (completed, failed for good,
    /// cancelled); `nil` for a retry.
    init?(_ record: AttemptRecord) {
        switch record.outcome {
        case .completed(let result): (event, status, resultJSON, error) = (.completed, .completed, result, nil)
        case .failed(let error): (event, status, resultJSON, self.error) = (.failed, .failed, nil, error)
        case .cancelled(let reason): (event, status, resultJSON, error) = (.cancelled, .cancelled, nil, reason)
        case .retry: return nil
        }
        task = record.task
        attempts = record.task.attempts + 1
        finishedAt = record.finishedAt
    }

    /// The payload of a pending task cancelled before it ran.
    init(cancelled task: AgentTask, at now: Date) {
        (event, status, resultJSON, error) = (.cancelled, .cancelled, nil, "cancelled before it ran")
        self.task = task
        attempts = task.attempts
        finishedAt = now
    }

    enum CodingKeys: String, CodingKey {
        case event, status, result, error, attempts
        case taskID = "task_id"
        case taskType = "task_type"
        case userID = "user_id"
        case createdAt = "created_at"
        case finishedAt = "finished_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event.rawValue, forKey: .event)
        try container.encode(task.id.lowercasedString, forKey: .taskID)
        try container.encode(task.taskType, forKey: .taskType)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(task.userID?.lowercasedString, forKey: .userID)
        try container.encodeIfPresent(resultJSON.map { JSONValue(parsing: $0) ?? .string($0) }, forKey: .result)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(Timestamp.string(from: task.createdAt), forKey: .createdAt)
        try container.encode(Timestamp.string(from: finishedAt), forKey: .finishedAt)
    }
}
