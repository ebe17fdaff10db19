import Foundation

/// What a caller supplies to enqueue a task; the store fills in the rest.
public struct NewTask: Sendable, Hashable {
    public var taskType: String
    public var agentType: String
    public var userID: UUID?
    public var contextID: UUID?
    public var contextType: String?
    /// Not before this time; `nil` means now.
    public var scheduledFor: Date?
    public var priority: TaskPriority
    public var maxRetries: Int
    public var contextJSON: String
    public var createdBy: String?
    /// A caller-chosen key: enqueueing again with the same key returns the first task.
    public var idempotencyKey: String?
    /// An http(s) URL told by webhook when the task reaches a final state.
    public var callbackURL: String?

    public init(
        taskType: String,
        agentType: String = "scheduler",
        userID: UUID? = nil,
        contextID: UUID? = nil,
        contextType: String? = nil,
        scheduledFor: Date? = nil,
        priority: TaskPriority = .medium,
        maxRetries: Int = 3,
        contextJSON: String = "{}",
        createdBy: String? = nil,
        idempotencyKey: String? = nil,
        callbackURL: String? = nil
    ) {
        self.taskType = taskType
        self.agentType = agentType
        self.userID = userID
        self.contextID = contextID
        self.contextType = contextType
        self.scheduledFor = scheduledFor
        self.priority = priority
        self.maxRetries = maxRetries
        self.contextJSON = contextJSON
        self.createdBy = createdBy
        self.idempotencyKey = idempotencyKey
        self.callbackURL = callbackURL
    }
}
