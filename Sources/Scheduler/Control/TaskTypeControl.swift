import Foundation

/// Pausing and resuming task types, for the HTTP API and the CLI alike: only types this
/// deployment knows (compiled in or declared) can be paused, so a typo is an error
/// rather than a pause that holds nothing.
public struct TaskTypeControl: Sendable {
    let store: any TaskStore
    let registry: HandlerRegistry
    let configuration: SchedulerConfiguration

    public init(store: any TaskStore, registry: HandlerRegistry, configuration: SchedulerConfiguration) {
        self.store = store
        self.registry = registry
        self.configuration = configuration
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
        TaskTypeState(profile: profile(taskType), pausedAt: pausedAt, limit: configuration.taskLimits[taskType])
    }

    /// What the type does, its context schema and its defaults.
    public func profile(_ taskType: String) -> TaskTypeProfile {
        TaskTypeProfile(taskType, registry: registry, configuration: configuration)
    }
}
