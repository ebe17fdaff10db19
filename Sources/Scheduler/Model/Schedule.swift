import Foundation

/// A recurring schedule: every time its cron expression matches in its time zone, one
/// task of its type is enqueued with its context and priority, however many instances
/// run (the task's idempotency key is the schedule's name and the tick).
public struct Schedule: Sendable, Hashable {
    public var name: String
    public var taskType: String
    public var cron: CronExpression
    public var timeZone: TimeZone
    /// The time zone as it was given (`UTC` stays `UTC`, where Foundation says `GMT`).
    public var timeZoneName: String
    /// The user each tick's task is about, for types that need one.
    public var userID: UUID?
    public var contextJSON: String
    public var priority: TaskPriority
    public var paused: Bool
    /// The tick that is enqueued next; `nil` while paused.
    public var nextRunAt: Date?
    /// The last tick enqueued.
    public var lastRunAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        name: String, taskType: String, cron: CronExpression, timeZone: TimeZone, timeZoneName: String? = nil,
        userID: UUID? = nil, contextJSON: String = "{}", priority: TaskPriority = .medium, paused: Bool = false,
        nextRunAt: Date? = nil, lastRunAt: Date? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.name = name
        self.taskType = taskType
        self.cron = cron
        self.timeZone = timeZone
        self.timeZoneName = timeZoneName ?? timeZone.identifier
        self.userID = userID
        self.contextJSON = contextJSON
        self.priority = priority
        self.paused = paused
        self.nextRunAt = nextRunAt
        self.lastRunAt = lastRunAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The idempotency key of the task of the tick at `tick`: the same on every instance.
    public func idempotencyKey(tick: Date) -> String {
        "schedule:\(name):\(Int64(tick.timeIntervalSince1970.rounded(.down)))"
    }

    /// The next `count` ticks after `date`.
    public func nextRuns(after date: Date, count: Int) -> [Date] {
        var runs: [Date] = []
        var time = date
        while runs.count < count, let next = cron.next(after: time, in: timeZone) {
            runs.append(next)
            time = next
        }
        return runs
    }

    /// Whether `name` can name a schedule: 1-100 letters, digits, `_`, `-` or `.`.
    public static func isValidName(_ name: String) -> Bool {
        TaskTypeName.isValid(name)
    }
}
