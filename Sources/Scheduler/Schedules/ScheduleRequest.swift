import Foundation

/// What a caller asks for when adding or replacing a schedule (`POST /schedules`,
/// `agent-scheduler schedules add`), before it is checked.
public struct ScheduleRequest: Sendable {
    public var name: String
    public var taskType: String
    public var cron: String
    public var timeZone: String
    public var contextJSON: String
    public var priority: TaskPriority
    /// The user each tick's task is about.
    public var userID: UUID?

    public init(
        name: String, taskType: String, cron: String, timeZone: String = "UTC", contextJSON: String = "{}",
        priority: TaskPriority = .medium, userID: UUID? = nil
    ) {
        self.userID = userID
        self.name = name
        self.taskType = taskType
        self.cron = cron
        self.timeZone = timeZone
        self.contextJSON = contextJSON
        self.priority = priority
    }
}
