import Foundation

/// A task type as `GET /task-types`, `agent-scheduler handlers --json` and
/// `agent-scheduler task-types list` show it: its profile (what it does, its context
/// schema, its defaults) and whether it is paused or limited now.
public struct TaskTypeState: Sendable, Encodable, Equatable {
    public var profile: TaskTypeProfile
    public var pausedAt: Date?
    public var limit: TaskLimit?

    public var taskType: String { profile.taskType }
    public var remote: Bool { profile.remote }
    public var description: String? { profile.description }

    enum CodingKeys: String, CodingKey {
        case remote, description, paused, limit, defaults
        case taskType = "task_type"
        case requiresUser = "requires_user"
        case offeredToAgents = "offered_to_agents"
        case contextSchema = "context_schema"
        case pausedAt = "paused_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(profile.taskType, forKey: .taskType)
        try container.encode(profile.remote, forKey: .remote)
        try container.encodeIfPresent(profile.description, forKey: .description)
        try container.encode(profile.requiresUser, forKey: .requiresUser)
        try container.encode(profile.offeredToAgents, forKey: .offeredToAgents)
        try container.encode(profile.contextSchema, forKey: .contextSchema)
        try container.encode(profile.defaults, forKey: .defaults)
        try container.encode(pausedAt != nil, forKey: .paused)
        try container.encodeIfPresent(pausedAt.map(Timestamp.string(from:)), forKey: .pausedAt)
        try container.encodeIfPresent(limit.map(QueueStats.LimitStats.init), forKey: .limit)
    }
}
