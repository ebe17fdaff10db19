import Foundation
import Hummingbird
import Scheduler
import SchedulerRequests

/// The task endpoints: enqueue, list, inspect, cancel, retry, run now, and poll now.
package struct TaskRoutes {
    let environment: APIEnvironment

    /// `POST /tasks`: 201 with the new task, or 200 with the existing one when the
    /// idempotency key is taken.
    func create(_ request: Request, context: some RequestContext) async throws -> Response {
        let body = try await JSONBody.object(from: request, context: context)
        let task = try CreateTaskRequest(body, defaultMaxRetries: defaultMaxRetries).task
        let result = try await environment.intake.enqueue(task)
        return try JSONResponse.make(result.created ? .created : .ok, TaskRepresentation(result.task))
    }

    /// The `max_retries` of a task enqueued without one: its type's declared default, or
    /// the deployment's.
    private func defaultMaxRetries(_ taskType: String) -> Int {
        environment.registry.defaultMaxRetries(for: taskType) ?? environment.configuration.maxRetries
    }

    /// The most tasks one `POST /tasks/batch` takes.
    static let batchLimit = 1_000

    /// `POST /tasks/batch`: up to ``batchLimit`` tasks, each shaped like `POST /tasks`'s
    /// body, created all together or not at all. Every task is checked before any is
    /// written; the first refused one is named by its index. 201 when any task is new,
    /// 200 when every idempotency key was taken.
    func createBatch(_ request: Request, context: some RequestContext) async throws -> Response {
        let body = try await JSONBody.object(from: request, context: context)
        try JSONFields(object: body).rejectUnknown(["tasks"])
        guard case .array(let items)? = body["tasks"] else {
            throw APIError.invalidField("tasks", "is required: an array of tasks, each shaped like the body of POST /tasks")
        }
        guard (1...Self.batchLimit).contains(items.count) else {
            throw APIError.invalidField("tasks", "must hold from 1 to \(Self.batchLimit) tasks, not \(items.count)")
        }
        var tasks: [NewTask] = []
        for (index, item) in items.enumerated() {
            do {
                guard case .object(let object) = item else { throw APIError.invalidJSON("a task must be a JSON object") }
                tasks.append(try CreateTaskRequest(object, defaultMaxRetries: defaultMaxRetries).task)
            } catch let error as APIError {
                throw error.at("tasks", index: index)
            }
        }
        let results: [EnqueueResult]
        do {
            results = try await environment.intake.enqueue(batch: tasks)
        } catch let refused as TaskIntake.RefusedTask {
            throw APIError(refused.reason).at("tasks", index: refused.index)
        }
        let created = results.filter(\.created).count
        return try JSONResponse.make(
            created > 0 ? .created : .ok, BatchResponse(created: created, tasks: results.map { TaskRepresentation($0.task) }))
    }

    /// The answer of `POST /tasks/batch`: how many tasks are new, and every task in the
    /// order sent.
    struct BatchResponse: Encodable {
        var created: Int
        var tasks: [TaskRepresentation]
    }

    /// `GET /tasks?status=&task_type=&user_id=&idempotency_key=&created_after=&limit=&cursor=`, newest first.
    func list(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        func text(_ name: String) -> String? { query[Substring(name)].map { String($0) } }
        var filter = TaskFilter()
        if let status = text("status") {
            guard let value = TaskStatus(rawValue: status) else {
                throw APIError.invalidQuery(
                    "status", "must be one of \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.status = value
        }
        filter.taskType = text("task_type")
        filter.idempotencyKey = text("idempotency_key")
        if let user = text("user_id") {
            guard let id = UUID(uuidString: user) else { throw APIError.invalidQuery("user_id", "must be a UUID") }
            filter.userID = id
        }
        if let since = text("created_after") {
            guard let date = Timestamp.date(from: since) else {
                throw APIError.invalidQuery("created_after", "must be an ISO 8601 time such as 2026-01-02T03:04:05Z")
            }
            filter.createdAfter = date
        }
        if let limit = text("limit") {
            guard let value = Int(limit), (1...200).contains(value) else {
                throw APIError.invalidQuery("limit", "must be a whole number from 1 to 200")
            }
            filter.limit = value
        }
        if let cursor = text("cursor") {
            guard let id = UUID(uuidString: cursor) else {
                throw APIError.invalidQuery("cursor", "must be a next_cursor value from an earlier page")
            }
            filter.after = id
        }
        let tasks = try await environment.store.tasks(matching: filter)
        let next = tasks.count == filter.limit ? tasks.last?.id.lowercasedString : nil
        return try JSONResponse.make(.ok, TaskPage(tasks: tasks.map { TaskRepresentation($0) }, nextCursor: next))
    }

    /// The longest `GET /tasks/{id}?wait=` waits, in seconds; longer waits are cut to it.
    static let longestWait = 60

    /// `GET /tasks/{id}` with the task's action-log rows; with `?wait=N`, answers once
    /// the task is final or N seconds (at most ``longestWait``) have passed.
    func show(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try Self.taskID(context)
        var wait = Duration.zero
        if let text = request.uri.queryParameters["wait"] {
            guard let seconds = Int(text), seconds >= 0 else {
                throw APIError.invalidQuery("wait", "must be a whole number of seconds, 0 or more (at most \(Self.longestWait) are waited)")
            }
            wait = .seconds(min(seconds, Self.longestWait))
        }
        let task = try await FinalStateWait(store: environment.store).task(id: id, waitingUpTo: wait)
        return try JSONResponse.make(.ok, try await TaskRepresentation.detail(of: task, from: environment.store))
    }

    /// `POST /tasks/{id}/cancel`: a pending task is cancelled (200); a running one is
    /// asked to stop (202, `cancel_requested_at` set; it ends `cancelled` when its
    /// worker stops it); a final one is a 409.
    func cancel(_ context: some RequestContext) async throws -> Response {
        let task = try await environment.store.cancel(id: try Self.taskID(context), now: environment.clock.now)
        return try JSONResponse.make(task.status == .processing ? .accepted : .ok, TaskRepresentation(task))
    }

    /// `POST /tasks/{id}/retry`: failed or cancelled tasks become pending, due now.
    func retry(_ context: some RequestContext) async throws -> Response {
        let task = try await environment.store.retry(id: try Self.taskID(context), now: environment.clock.now)
        return try JSONResponse.make(.ok, TaskRepresentation(task))
    }

    /// `POST /process-task {"task_id": …}`: runs that task now and answers with how it ended.
    func processNow(_ request: Request, context: some RequestContext) async throws -> Response {
        let body = try await JSONBody.object(from: request, context: context)
        let fields = JSONFields(object: body)
        try fields.rejectUnknown(["task_id"])
        guard let id = try fields.uuid("task_id") else { throw APIError.invalidField("task_id", "is required") }
        let task = try await environment.engine.processNow(id: id)
        return try JSONResponse.make(.ok, ProcessResult(success: task.status == .completed, taskId: id.lowercasedString, task: TaskRepresentation(task)))
    }

    /// `POST /trigger-poll`: wakes the poller now.
    func triggerPoll() throws -> Response {
        environment.engine.triggerPoll()
        return try JSONResponse.make(.ok, PollTriggered(success: true, message: "Polling triggered"))
    }

    static func taskID(_ context: some RequestContext) throws -> UUID {
        let text = context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: text) else { throw APIError.invalidID(text) }
        return id
    }


    struct ProcessResult: Encodable {
        var success: Bool
        var taskId: String
        var task: TaskRepresentation
    }

    struct PollTriggered: Encodable {
        var success: Bool
        var message: String
    }
}
