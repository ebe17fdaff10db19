import Foundation

/// A schedule as the API and CLI show it, with its next run times computed from now so
/// that a reader can check the cron expression and time zone say what they meant.
public struct ScheduleRepresentation: Sendable, Encodable {
    public let schedule: Schedule
    public let nextRuns: [Date]

    /// How many upcoming runs are shown.
    public static let shownRuns = 5

    public init(_ schedule: Schedule, now: Date) {
        self.schedule = schedule
        nextRuns = schedule.paused ? [] : schedule.nextRuns(after: now, count: Self.shownRuns)
    }

    enum CodingKeys: String, CodingKey {
        case name, cron, timezone, context, priority, paused
        case taskType = "task_type"
        case userID = "user_id"
        case nextRunAt = "next_run_at"
        case nextRuns = "next_runs"
        case lastRunAt = "last_run_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schedule.name, forKey: .name)
        try container.encode(schedule.taskType, forKey: .taskType)
        try container.encode(schedule.cron.description, forKey: .cron)
        try container.encode(schedule.timeZoneName, forKey: .timezone)
        try container.encodeIfPresent(schedule.userID?.lowercasedString, forKey: .userID)
        try container.encode(JSONValue(parsing: schedule.contextJSON) ?? .object([:]), forKey: .context)
        try container.encode(schedule.priority, forKey: .priority)
        try container.encode(schedule.paused, forKey: .paused)
        try container.encodeIfPresent(schedule.nextRunAt.map(Timestamp.string(from:)), forKey: .nextRunAt)
        try container.encode(nextRuns.map(Timestamp.string(from:)), forKey: .nextRuns)
        try container.encodeIfPresent(schedule.lastRunAt.map(Timestamp.string(from:)), forKey: .lastRunAt)
        try container.encode(Timestamp.string(from: schedule.createdAt), forKey: .createdAt)
        try container.encode(Timestamp.string(from: schedule.updatedAt), forKey: .updatedAt)
    }
}
