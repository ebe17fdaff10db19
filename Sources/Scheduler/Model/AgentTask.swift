import Foundation

/// One row of `agent_tasks`: a unit of scheduled work for a handler.
///
/// It carries the task processor's columns unchanged (so services that insert rows directly keep
/// working) plus the engine's own bookkeeping: the lease, the idempotency key and
/// `updated_at`.
public struct AgentTask: Sendable, Hashable {
    public var id: UUID
    public var taskType: String
    public var agentType: String
    public var userID: UUID?
    public var contextID: UUID?
    public var contextType: String?
    public var scheduledFor: Date
    public var priority: TaskPriority
    public var status: TaskStatus
    public var retryCount: Int
    public var maxRetries: Int
    public var lastAttemptedAt: Date?
    public var completedAt: Date?
    public var createdAt: Date
    public var createdBy: String?
    /// The handler's input, as the JSON text stored in `context_json`.
    public var contextJSON: String
    /// The handler's output, as JSON text, once the task has completed.
    public var resultJSON: String?
    /// Every failed attempt's error, one line per attempt, oldest first.
    public var errorLog: String?
    public var lockedBy: String?
    public var lockedUntil: Date?
    public var idempotencyKey: String?
    public var updatedAt: Date
    /// Attempts finished so far, over the task's whole life: unlike `retry_count`, a
    /// manual retry does not reset it, so attempt numbers keep counting.
    public var attempts: Int
    /// The progress its handler last reported (``TaskProgress``), as JSON text.
    public var progressJSON: String? = nil
    /// When someone asked to cancel the task while it ran (``TaskStore/cancel(id:now:)``):
    /// its attempt is being stopped and it ends `cancelled`, whatever the attempt returns.
    public var cancelRequestedAt: Date? = nil
    /// The URL told by webhook when the task reaches a final state, if the caller gave one.
    public var callbackURL: String? = nil

    package init(id: UUID, taskType: String, agentType: String, userID: UUID? = nil, contextID: UUID? = nil, contextType: String? = nil, scheduledFor: Date, priority: TaskPriority, status: TaskStatus, retryCount: Int, maxRetries: Int, lastAttemptedAt: Date? = nil, completedAt: Date? = nil, createdAt: Date, createdBy: String? = nil, contextJSON: String, resultJSON: String? = nil, errorLog: String? = nil, lockedBy: String? = nil, lockedUntil: Date? = nil, idempotencyKey: String? = nil, updatedAt: Date, attempts: Int, progressJSON: String? = nil, cancelRequestedAt: Date? = nil, callbackURL: String? = nil) {
        self.id = id
        self.taskType = taskType
        self.agentType = agentType
        self.userID = userID
        self.contextID = contextID
        self.contextType = contextType
        self.scheduledFor = scheduledFor
        self.priority = priority
        self.status = status
        self.retryCount = retryCount
        self.maxRetries = maxRetries
        self.lastAttemptedAt = lastAttemptedAt
        self.completedAt = completedAt
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.contextJSON = contextJSON
        self.resultJSON = resultJSON
        self.errorLog = errorLog
        self.lockedBy = lockedBy
        self.lockedUntil = lockedUntil
        self.idempotencyKey = idempotencyKey
        self.updatedAt = updatedAt
        self.attempts = attempts
        self.progressJSON = progressJSON
        self.cancelRequestedAt = cancelRequestedAt
        self.callbackURL = callbackURL
    }

    /// The number of the attempt a claim of this task starts (1 for the first run).
    public var attempt: Int { attempts + 1 }
}
