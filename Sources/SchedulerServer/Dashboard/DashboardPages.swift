import Foundation
import Hummingbird
import Scheduler
import SchedulerRequests

/// The overview and the task list: what they read and how their rows are shaped.
extension DashboardRoutes {
    func overview(_ visit: Visit) async throws -> String {
        let store = environment.store
        let now = environment.clock.now
        let stats = try await QueueStats.read(from: store, limits: environment.configuration.taskLimits, now: now)
        let seen = try await store.workers()
        let running = Set(seen.filter { !$0.isGone(at: now) }.flatMap(\.taskTypes))
        let types = stats.taskTypes.map { type -> [String: Any] in
            [
                "name": type.taskType, "pending": type.pending, "due": type.due, "processing": type.processing,
                "anyFailed": type.failed > 0, "anyPending": type.pending > 0,
                "failed": type.failed, "completedHour": type.completedLast["60m"] ?? 0,
                "oldestDue": type.oldestDueAgeSeconds.map { DurationText.text(max(1, $0.rounded())) } ?? "–",
                "failureRate": type.failureRate.map { String(format: "%.0f %%", $0 * 100) } ?? "–",
                "wait": type.waitMs.map { "\($0.p50) / \($0.p95)" } ?? "–", "run": type.runMs.map { "\($0.p50) / \($0.p95)" } ?? "–",
                "state": [
                    type.paused ? "paused" : (running.contains(type.taskType) ? "active" : "no engine"),
                    type.limit.map { "limited (\(Self.describe($0)))" },
                ].compactMap { $0 }.joined(separator: ", "),
            ]
        }
        let sum = { (value: (QueueStats.TypeStats) -> Int) in stats.taskTypes.map(value).reduce(0, +) }
        let totals: [[String: Any]] = [
            ["label": "Pending", "count": sum(\.pending)], ["label": "Due now", "count": sum(\.due)],
            ["label": "Running", "count": sum(\.processing)], ["label": "Failed", "count": sum(\.failed)],
            ["label": "Completed (1 h)", "count": sum { $0.completedLast["60m"] ?? 0 }],
        ]
        let workers = seen.map { worker -> [String: Any] in
            [
                "id": worker.workerID, "kind": "\(worker.kind)", "types": worker.taskTypes.joined(separator: ", "),
                "lastSeen": Timestamp.string(from: worker.lastSeenAt), "state": worker.isGone(at: now) ? "gone" : "active",
            ]
        }
        let schedules = try await store.schedules().map { schedule -> [String: Any] in
            var fields: [String: Any] = [
                "name": schedule.name, "taskType": schedule.taskType, "cron": schedule.cron.description,
                "timezone": schedule.timeZoneName, "user": schedule.userID?.lowercasedString ?? "",
            ]
            if !schedule.paused, let next = schedule.nextRunAt { fields["nextRun"] = Timestamp.string(from: next) }
            return fields
        }
        return Self.render("overview", visit.fields([
            "title": "Overview", "totals": totals, "charts": MinuteChart.charts(stats.minutes).map(\.fields), "types": types,
            "workers": workers, "schedules": schedules,
        ]))
    }

    func taskList(_ request: Request, since: SinceChoice?, _ visit: Visit) async throws -> String {
        let query = request.uri.queryParameters
        func text(_ name: String) -> String? {
            query[Substring(name)].map { String($0).trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        var filter = TaskFilter()
        filter.limit = 50
        // One search box: a task's id (or its first 8 or more characters) jumps to it;
        // another UUID is a user; anything else an idempotency key.
        if let search = text("q") {
            if UUID(uuidString: search) == nil, let prefix = TaskIDPrefix(search),
                let id = try? await prefix.resolve(in: environment.store)
            {
                throw Redirect(to: "/dashboard/tasks/\(id.lowercasedString)")
            }
            if let id = UUID(uuidString: search) {
                if try await environment.store.task(id: id) != nil { throw Redirect(to: "/dashboard/tasks/\(id.lowercasedString)") }
                filter.userID = id
            } else {
                filter.idempotencyKey = search
            }
        }
        if let status = text("status") {
            guard let value = TaskStatus(rawValue: status) else { throw APIError.invalidQuery("status", "is not a task status") }
            filter.status = value
        }
        filter.taskType = text("task_type")
        if let user = text("user_id") {
            guard let id = UUID(uuidString: user) else { throw APIError.invalidQuery("user_id", "must be a UUID") }
            filter.userID = id
        }
        if let since { filter.createdAfter = environment.clock.now.addingTimeInterval(-since.seconds) }
        if let cursor = text("cursor") {
            guard let id = UUID(uuidString: cursor) else { throw APIError.invalidQuery("cursor", "must come from an earlier page") }
            filter.after = id
        }
        let tasks = try await environment.store.tasks(matching: filter)
        let rows = try tasks.map { task -> [String: Any] in
            var row = DashboardValues.fields(try JSONValue(encoding: TaskRepresentation(task)))
            row["shortID"] = String(task.id.lowercasedString.prefix(8))
            // The last error of a failed or retrying task, a line of it.
            if let last = task.errorLog?.split(separator: "\n").last, task.status != .completed {
                row["lastError"] = String(last.prefix(160))
            }
            return row
        }
        var next: String?
        if tasks.count == filter.limit, let last = tasks.last {
            var components = URLComponents()
            components.queryItems = [
                filter.status.map { URLQueryItem(name: "status", value: $0.rawValue) },
                filter.taskType.map { URLQueryItem(name: "task_type", value: $0) },
                filter.userID.map { URLQueryItem(name: "user_id", value: $0.lowercasedString) },
                text("q").map { URLQueryItem(name: "q", value: $0) },
                since.map { URLQueryItem(name: "since", value: $0.value) },
                URLQueryItem(name: "cursor", value: last.id.lowercasedString),
            ].compactMap { $0 }
            next = "/dashboard/tasks" + (components.string ?? "")
        }
        var page: [String: Any] = [
            "title": "Tasks", "rows": rows,
            "statuses": TaskStatus.allCases.map { ["value": $0.rawValue, "selected": $0 == filter.status] },
            "taskTypes": environment.registry.allTaskTypes.map { ["value": $0, "selected": $0 == filter.taskType] },
            "userID": filter.userID?.lowercasedString ?? "", "search": text("q") ?? "",
            "sinceChoices": Self.sinceChoices.map { ["value": $0.value, "label": $0.label, "selected": $0.value == since?.value] },
        ]
        if let next { page["next"] = next }
        return Self.render("tasks", visit.fields(page))
    }

    /// One choice of the task list's time filter: tasks created within the last `seconds`.
    typealias SinceChoice = (value: String, label: String, seconds: TimeInterval)

    static let sinceChoices: [SinceChoice] = [
        ("1h", "last hour", 3600), ("24h", "last 24 hours", 86_400), ("7d", "last 7 days", 604_800),
        ("30d", "last 30 days", 2_592_000),
    ]

    /// The choice a `since` value names (`nil` for none or empty); any other value is
    /// refused, before the session is looked at.
    static func sinceChoice(_ value: String?) throws -> SinceChoice? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        guard let choice = sinceChoices.first(where: { $0.value == value }) else {
            throw APIError.invalidQuery("since", "must be one of \(sinceChoices.map(\.value).joined(separator: ", "))")
        }
        return choice
    }
}
