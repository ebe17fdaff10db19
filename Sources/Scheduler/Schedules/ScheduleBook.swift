import Foundation

/// Adding, listing, pausing, resuming and removing schedules, for the HTTP API and the
/// CLI alike: every schedule is checked before it is stored (a valid name, a known task
/// type whose context it meets, a cron expression and an IANA time zone), and its next
/// tick is computed from now.
public struct ScheduleBook: Sendable {
    let store: any TaskStore
    let registry: HandlerRegistry

    public init(store: any TaskStore, registry: HandlerRegistry) {
        self.store = store
        self.registry = registry
    }

    /// Stores the schedule, replacing one of the same name (its next tick recomputed);
    /// returns it and whether it is new.
    @discardableResult
    public func save(_ request: ScheduleRequest, now: Date) async throws -> (schedule: Schedule, created: Bool) {
        let (cron, zone) = try check(request)
        let existing = try await store.schedules().first { $0.name == request.name }
        let schedule = Schedule(
            name: request.name, taskType: request.taskType, cron: cron, timeZone: zone, timeZoneName: request.timeZone,
            userID: request.userID, contextJSON: request.contextJSON,
            priority: request.priority, paused: existing?.paused ?? false,
            nextRunAt: existing?.paused == true ? nil : cron.next(after: now, in: zone), lastRunAt: existing?.lastRunAt,
            createdAt: existing?.createdAt ?? now, updatedAt: now)
        let created = try await store.saveSchedule(schedule)
        return (schedule, created)
    }

    /// Checks a schedule without storing it: its name, a known task type whose context
    /// it meets, its cron expression and time zone (returned parsed).
    @discardableResult
    public func check(_ request: ScheduleRequest) throws -> (CronExpression, TimeZone) {
        guard Schedule.isValidName(request.name) else {
            throw SchedulerError.invalidInput(field: "name", reason: "must be 1-100 letters, digits, _, - or .")
        }
        guard registry.allTaskTypes.contains(request.taskType) else { throw SchedulerError.unknownTaskType(request.taskType) }
        try registry.validate(taskType: request.taskType, contextJSON: request.contextJSON, userID: request.userID)
        let cron: CronExpression
        do {
            cron = try CronExpression(request.cron)
        } catch {
            throw SchedulerError.invalidInput(field: "cron", reason: error.description)
        }
        guard let zone = TimeZone(identifier: request.timeZone) else {
            throw SchedulerError.invalidInput(
                field: "timezone", reason: "'\(request.timeZone)' is not an IANA time zone such as Europe/Zurich or UTC")
        }
        return (cron, zone)
    }

    /// Writes the schedules a deployment declares (``ScheduleFile``): new ones, and those
    /// whose definition changed; one unchanged since the last start keeps its next tick,
    /// so a tick missed while nothing ran still runs once. Returns the names written.
    @discardableResult
    public func declare(_ requests: [ScheduleRequest], now: Date) async throws -> [String] {
        let existing = Dictionary(uniqueKeysWithValues: try await store.schedules().map { ($0.name, $0) })
        var written: [String] = []
        for request in requests where !(existing[request.name].map { Self.matches($0, request) } ?? false) {
            try await save(request, now: now)
            written.append(request.name)
        }
        return written
    }

    /// Whether `schedule` already is what `request` asks for.
    static func matches(_ schedule: Schedule, _ request: ScheduleRequest) -> Bool {
        schedule.taskType == request.taskType
            && schedule.cron.description == request.cron.trimmingCharacters(in: .whitespaces)
            && schedule.timeZoneName == request.timeZone && schedule.userID == request.userID
            && schedule.priority == request.priority
            && JSONValue(parsing: schedule.contextJSON) == JSONValue(parsing: request.contextJSON)
    }

    /// Every schedule, by name.
    public func list() async throws -> [Schedule] {
        try await store.schedules()
    }

    /// Removes a schedule; its tasks already enqueued stay.
    public func remove(_ name: String) async throws -> Schedule {
        guard let removed = try await store.deleteSchedule(named: name) else { throw SchedulerError.scheduleNotFound(name) }
        return removed
    }

    /// Stops a schedule ticking until it is resumed.
    public func pause(_ name: String, now: Date) async throws -> Schedule {
        var schedule = try await named(name)
        guard !schedule.paused else { return schedule }
        schedule.paused = true
        schedule.nextRunAt = nil
        schedule.updatedAt = now
        try await store.saveSchedule(schedule)
        return schedule
    }

    /// Lets a paused schedule tick again from its next tick after now: the ticks it
    /// missed while paused are not enqueued.
    public func resume(_ name: String, now: Date) async throws -> Schedule {
        var schedule = try await named(name)
        guard schedule.paused else { return schedule }
        schedule.paused = false
        schedule.nextRunAt = schedule.cron.next(after: now, in: schedule.timeZone)
        schedule.updatedAt = now
        try await store.saveSchedule(schedule)
        return schedule
    }

    private func named(_ name: String) async throws -> Schedule {
        guard let schedule = try await store.schedules().first(where: { $0.name == name }) else {
            throw SchedulerError.scheduleNotFound(name)
        }
        return schedule
    }
}
