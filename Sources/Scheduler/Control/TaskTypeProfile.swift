import Foundation

/// What an agent needs to schedule a task type well: what it does, the schema of its
/// context, whether it needs a user, and what a task gets when it leaves a setting out.
/// `GET /task-types`, `agent-scheduler handlers --json` and the MCP tools show it.
public struct TaskTypeProfile: Sendable, Equatable {
    public var taskType: String
    public var description: String?
    public var remote: Bool
    public var requiresUser: Bool
    /// Whether agents get a scheduling tool for it (placeholders do not).
    public var offeredToAgents: Bool
    public var contextSchema: JSONValue
    public var defaults: TaskDefaults

    /// The profile of `taskType` as `registry` knows it; tasks enqueued without
    /// `max_retries` get the type's declared value, else the deployment's.
    public init(_ taskType: String, registry: HandlerRegistry, configuration: SchedulerConfiguration) {
        self.taskType = taskType
        description = registry.description(for: taskType)
        remote = registry.isRemote(taskType)
        requiresUser = registry.requiresUser(taskType)
        offeredToAgents = registry.isOfferedToAgents(taskType)
        contextSchema = registry.contextSchema(for: taskType).document
        let declaration = registry.declaration(for: taskType)
        defaults = TaskDefaults(
            priority: .medium,
            maxRetries: registry.defaultMaxRetries(for: taskType) ?? configuration.maxRetries,
            timeoutSeconds: remote ? nil : (registry.timeout(for: taskType) ?? configuration.engine.handlerTimeout).timeInterval,
            leaseSeconds: declaration?.lease?.timeInterval)
    }
}

/// What a task of a type gets for the settings its enqueue leaves out.
public struct TaskDefaults: Sendable, Equatable, Encodable {
    public var priority: TaskPriority
    public var maxRetries: Int
    /// How long an in-process attempt may run.
    public var timeoutSeconds: Double?
    /// How long a remote worker's claim holds a task, when the type declares it.
    public var leaseSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case priority
        case maxRetries = "max_retries"
        case timeoutSeconds = "timeout_seconds"
        case leaseSeconds = "lease_seconds"
    }
}
