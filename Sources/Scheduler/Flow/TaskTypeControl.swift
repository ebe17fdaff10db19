import Foundation

/// Pausing and resuming task types, for the HTTP API and the CLI alike: only types this
/// deployment knows (compiled in or declared) can be paused, so a typo is an error
/// rather than a pause that holds nothing.
public struct TaskTypeControl: Sendable {
    let store: any TaskStore
    let registry: HandlerRegistry
    let limits: TaskLimits

    public init(store: any TaskStore, registry: HandlerRegistry, limits: TaskLimits) {
        self.store = store
        self.registry = registry
        self.limits = limits
    }

    /// Every known type with its state, sorted by name.
    public func list() async throws -> [TaskTypeState] {
        let paused = try await store.pausedTaskTypes()
        return registry.allTaskTypes.map { state($0, pausedAt: paused[$0]) }
    }

    /// Pauses `taskType` (again: no change) and returns its state.
    public func pause(_ taskType: String, now: Date) async throws -> TaskTypeState {
        try known(taskType)
        try await store.pause(taskType: taskType, now: now)
        return state(taskType, pausedAt: try await store.pausedTaskTypes()[taskType])
    }

    /// Resumes `taskType` (when running already: no change) and returns its state.
    public func resume(_ taskType: String) async throws -> TaskTypeState {
        try known(taskType)
        try await store.resume(taskType: taskType)
        return state(taskType, pausedAt: nil)
    }

    private func known(_ taskType: String) throws(SchedulerError) {
        guard registry.allTaskTypes.contains(taskType) else { throw .taskTypeNotFound(taskType) }
    }

    private func state(_ taskType: String, pausedAt: Date?) -> TaskTypeState {
        TaskTypeState(
            taskType: taskType, remote: registry.isRemote(taskType),
            description: registry.declaration(for: taskType)?.description, pausedAt: pausedAt, limit: limits[taskType])
    }
}

/// A task type as `GET /task-types` and `agent-scheduler task-types list` show it.
public struct TaskTypeState: Sendable, Encodable, Equatable {
    public var taskType: String
    public var remote: Bool
    public var description: String?
    public var pausedAt: Date?
    public var limit: TaskLimit?

    enum CodingKeys: String, CodingKey {
        case remote, description, paused, limit
        case taskType = "task_type"
        case pausedAt = "paused_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(taskType, forKey: .taskType)
        try container.encode(remote, forKey: .remote)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encode(pausedAt != nil, forKey: .paused)
        try container.encodeIfPresent(pausedAt.map(Timestamp.string(from:)), forKey: .pausedAt)
        try container.encodeIfPresent(limit.map(QueueStats.LimitStats.init), forKey: .limit)
    }
}
