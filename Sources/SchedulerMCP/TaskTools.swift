import Foundation
import MCP
import Scheduler
import SchedulerRequests

/// The MCP tools that follow and act on tasks already scheduled, and read the queue:
/// each reads its arguments with the checks of the HTTP API and answers with the same
/// JSON as the matching endpoint.
struct TaskTools {
    let tools: AgentTools

    /// The tools' names.
    enum Name: String, CaseIterable {
        case getTask = "get_task"
        case listTasks = "list_tasks"
        case waitForTask = "wait_for_task"
        case cancelTask = "cancel_task"
        case retryTask = "retry_task"
        case queueStats = "queue_stats"
    }

    /// The longest `wait_for_task` waits, in seconds.
    static let longestWait = 120

    static let taskID: JSONValue = ["type": "string", "format": "uuid", "description": "The task's id, as a scheduling tool returned it."]

    /// The tools' declarations, as `tools/list` shows them.
    static let all: [Tool] = [
        tool(.getTask, "Read a task",
            "A task's status, context, result, progress, when it ran, and its attempts from the action log (each with its error): what happened to it.",
            ["task_id": taskID], required: ["task_id"], readOnly: true),
        tool(.listTasks, "List tasks",
            "Tasks, newest first, filtered by status, task type, user or idempotency key; next_cursor pages on.",
            [
                "status": ["type": "string", "enum": .array(TaskStatus.allCases.map { .string($0.rawValue) })],
                "task_type": ["type": "string"],
                "user_id": ["type": "string", "format": "uuid"],
                "idempotency_key": ["type": "string", "description": "The task scheduled with this key."],
                "limit": ["type": "integer", "minimum": 1, "maximum": 200, "description": "At most this many (default 20)."],
                "cursor": ["type": "string", "description": "next_cursor of the page before."],
            ], required: [], readOnly: true),
        tool(.waitForTask, "Wait for a task",
            "Waits until the task is final (completed, failed or cancelled) or timeout_seconds have passed, then returns it with final true or false.",
            [
                "task_id": taskID,
                "timeout_seconds": [
                    "type": "integer", "minimum": 0, "maximum": .number(Double(longestWait)),
                    "description": .string("How long to wait at most (default 30, at most \(longestWait))."),
                ],
            ], required: ["task_id"], readOnly: true),
        tool(.cancelTask, "Cancel a task",
            "Cancels a pending task at once; a running one is asked to stop and ends cancelled. A final task cannot be cancelled.",
            ["task_id": taskID], required: ["task_id"], readOnly: false, destructive: true),
        tool(.retryTask, "Retry a task",
            "Makes a failed or cancelled task pending again, due now, with its retry count reset.",
            ["task_id": taskID], required: ["task_id"], readOnly: false),
        tool(.queueStats, "Queue statistics",
            "Counts by status and task type (types without tasks left out), due tasks waiting and their age, attempts and failure rate of the last hour, paused types and limits.",
            ["per_minute": ["type": "boolean", "description": "Also the last hour minute by minute (default false)."]],
            required: [], readOnly: true),
    ]

    private static func tool(
        _ name: Name, _ title: String, _ description: String, _ properties: [String: JSONValue], required: [String],
        readOnly: Bool, destructive: Bool = false
    ) -> Tool {
        let schema: JSONValue = [
            "type": "object", "properties": .object(properties), "required": .array(required.map(JSONValue.string)),
            "additionalProperties": false,
        ]
        return Tool(
            name: name.rawValue, title: title, description: description, inputSchema: MCP.Value(schema),
            annotations: .init(readOnlyHint: readOnly, destructiveHint: destructive, idempotentHint: true, openWorldHint: false))
    }

    func call(_ name: Name, _ fields: JSONFields) async throws -> JSONValue {
        let store = tools.store
        let now = tools.clock.now
        switch name {
        case .getTask:
            try fields.rejectUnknown(["task_id"])
            let id = try Self.requiredID(fields)
            guard let task = try await store.task(id: id) else { throw SchedulerError.taskNotFound(id) }
            return try await detail(task)
        case .listTasks:
            try fields.rejectUnknown(["status", "task_type", "user_id", "idempotency_key", "limit", "cursor"])
            var filter = TaskFilter()
            filter.status = try fields.enumeration("status", TaskStatus.self)
            filter.taskType = try fields.string("task_type", maxLength: 100)
            filter.userID = try fields.uuid("user_id")
            filter.idempotencyKey = try fields.string("idempotency_key", maxLength: 200)
            filter.limit = try fields.integer("limit", in: 1...200) ?? 20
            filter.after = try fields.uuid("cursor")
            let tasks = try await store.tasks(matching: filter)
            let next = tasks.count == filter.limit ? tasks.last?.id.lowercasedString : nil
            return try JSONValue(encoding: TaskPage(tasks: tasks.map { TaskRepresentation($0) }, nextCursor: next))
        case .waitForTask:
            try fields.rejectUnknown(["task_id", "timeout_seconds"])
            let id = try Self.requiredID(fields)
            let seconds = try fields.integer("timeout_seconds", in: 0...Self.longestWait) ?? 30
            // A task nothing will run is said at once, not after the whole wait.
            if let current = try await store.task(id: id), !current.status.isFinal,
                let note = try await EngineCoverage(store: store).note(for: current.taskType, now: now)
            {
                return try await detail(current, final: false, note: note)
            }
            let task = try await FinalStateWait(store: store).task(id: id, waitingUpTo: .seconds(seconds))
            return try await detail(task, final: task.status.isFinal)
        case .cancelTask:
            try fields.rejectUnknown(["task_id"])
            return try await detail(try await store.cancel(id: try Self.requiredID(fields), now: now))
        case .retryTask:
            try fields.rejectUnknown(["task_id"])
            let task = try await store.retry(id: try Self.requiredID(fields), now: now)
            return try await detail(task)
        case .queueStats:
            try fields.rejectUnknown(["per_minute"])
            let perMinute: Bool
            switch fields.object["per_minute"] {
            case nil, .null?: perMinute = false
            case .bool(let value)?: perMinute = value
            default: throw APIError.invalidField("per_minute", "must be true or false")
            }
            let stats = try await QueueStats.read(from: store, limits: tools.configuration.taskLimits, now: now)
            return try JSONValue(encoding: stats).compactStats(perMinute: perMinute)
        }
    }

    /// The task with its attempts and webhook deliveries, as `GET /tasks/{id}` shows it.
    private func detail(_ task: AgentTask, final: Bool? = nil, note: String? = nil) async throws -> JSONValue {
        try JSONValue(encoding: TaskAnswer(
            final: final, note: note, task: try await TaskRepresentation.detail(of: task, from: tools.store)))
    }

    private static func requiredID(_ fields: JSONFields) throws -> UUID {
        guard let id = try fields.uuid("task_id") else { throw APIError.invalidField("task_id", "is required: the task's id") }
        return id
    }

    /// A task as the tools return it; `final` only from `wait_for_task`.
    struct TaskAnswer: Encodable {
        var final: Bool?
        var note: String?
        var task: TaskRepresentation
    }
}
