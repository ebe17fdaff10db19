import Foundation

/// One row of `agent_actions_log`: the record of a single attempt at a task.
public struct ActionLogEntry: Sendable, Hashable {
    public var id: Int64
    public var agentType: String
    /// `process_<task_type>`.
    public var actionType: String
    public var userID: UUID?
    /// The task's id.
    public var contextID: UUID?
    public var contextType: String?
    public var latencyMs: Int?
    public var inputData: String?
    public var outputData: String?
    public var error: String?
    /// The attempt number this row records (1 for the first run).
    public var attempt: Int?
    public var workerID: String?
    public var startedAt: Date?
    public var createdAt: Date

    package init(id: Int64, agentType: String, actionType: String, userID: UUID? = nil, contextID: UUID? = nil, contextType: String? = nil, latencyMs: Int? = nil, inputData: String? = nil, outputData: String? = nil, error: String? = nil, attempt: Int? = nil, workerID: String? = nil, startedAt: Date? = nil, createdAt: Date) {
        self.id = id
        self.agentType = agentType
        self.actionType = actionType
        self.userID = userID
        self.contextID = contextID
        self.contextType = contextType
        self.latencyMs = latencyMs
        self.inputData = inputData
        self.outputData = outputData
        self.error = error
        self.attempt = attempt
        self.workerID = workerID
        self.startedAt = startedAt
        self.createdAt = createdAt
    }
}
