import Foundation
import Hummingbird
import Scheduler
import SchedulerRequests

/// The worker API: remote workers claim tasks of remote types, send heartbeats, and
/// complete or fail their attempts (``RemoteAttempts``); `GET /workers` lists every
/// worker, in-process engines too.
struct WorkerRoutes {
    let environment: APIEnvironment

    private var attempts: RemoteAttempts {
        RemoteAttempts(store: environment.store, engine: environment.engine, clock: environment.clock, keys: environment.leaseKeys)
    }

    /// The most tasks one claim takes.
    static let claimLimit = 100
    /// The longest a claim waits for a task, in seconds.
    static let longestWait = 30

    /// `POST /workers/claim`: `{"tasks": [...]}`, empty when nothing came due in time.
    func claim(_ request: Request, context: some RequestContext) async throws -> Response {
        let fields = JSONFields(object: try await JSONBody.object(from: request, context: context))
        try fields.rejectUnknown(["worker_id", "task_types", "max", "lease_seconds", "wait_seconds"])
        let workerID = try fields.requiredString("worker_id", maxLength: 100)
        let types = try taskTypes(fields)
        let limit = try fields.integer("max", in: 1...Self.claimLimit) ?? 1
        let lease = try fields.integer("lease_seconds", in: 1...86_400).map { Duration.seconds($0) }
            ?? types.compactMap { environment.registry.declaration(for: $0)?.lease }.max()
            ?? environment.engine.configuration.lease
        let wait = Duration.seconds(try fields.integer("wait_seconds", in: 0...Self.longestWait) ?? 0)
        let attempts = attempts
        let tasks = try await attempts.claim(workerID: workerID, taskTypes: types, limit: limit, lease: lease, wait: wait)
        let key = try await attempts.leaseKey()
        return try JSONResponse.make(.ok, ClaimedTasks(tasks: tasks.map { ClaimedTask($0, token: LeaseToken(running: $0, lease: lease, key: key)) }))
    }

    /// `task_types`: a non-empty list of remote types.
    private func taskTypes(_ fields: JSONFields) throws -> [String] {
        guard case .array(let items)? = fields.object["task_types"], !items.isEmpty, items.count <= 100 else {
            throw APIError.invalidField("task_types", "is required: a list of 1 to 100 remote task types")
        }
        let remote = environment.registry.remoteTaskTypes
        return try items.map { item in
            guard case .string(let type) = item else { throw APIError.invalidField("task_types", "must hold strings") }
            guard environment.registry.isRemote(type) else {
                let known = remote.isEmpty ? "none is declared (REMOTE_TASK_TYPES)" : "remote types: \(remote.joined(separator: ", "))"
                throw APIError.invalidField("task_types", "names '\(type)', which is not a remote task type (\(known))")
            }
            return type
        }
    }

    /// `POST /tasks/{id}/heartbeat`: renews the lease, stores progress, and says whether
    /// cancellation was requested.
    func heartbeat(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try TaskRoutes.taskID(context)
        let fields = JSONFields(object: try await JSONBody.object(from: request, context: context))
        try fields.rejectUnknown(["lease_token", "progress", "lease_seconds"])
        let token = try leaseToken(fields)
        // Without lease_seconds, the lease is renewed for as long as the claim asked.
        let lease = Duration.seconds(try fields.integer("lease_seconds", in: 1...86_400) ?? token.leaseSeconds)
        let answer = try await attempts.heartbeat(taskID: id, token: token, lease: lease, progress: try progress(fields))
        return try JSONResponse.make(.ok, HeartbeatAnswer(
            cancelRequested: answer.cancelRequested, leaseExpiresAt: Timestamp.string(from: answer.leaseExpiresAt)))
    }

    /// `POST /tasks/{id}/complete`: the attempt's result (any JSON value).
    func complete(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try TaskRoutes.taskID(context)
        let fields = JSONFields(object: try await JSONBody.object(from: request, context: context))
        try fields.rejectUnknown(["lease_token", "result"])
        let token = try leaseToken(fields)
        let result = try JSONText.encode(fields.object["result"] ?? .null)
        let task = try await attempts.complete(taskID: id, token: token, resultJSON: result)
        return try JSONResponse.make(.ok, TaskRepresentation(task))
    }

    /// `POST /tasks/{id}/fail`: the attempt's error; retried while retries remain and
    /// `retryable` (default true).
    func fail(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try TaskRoutes.taskID(context)
        let fields = JSONFields(object: try await JSONBody.object(from: request, context: context))
        try fields.rejectUnknown(["lease_token", "error", "retryable"])
        let token = try leaseToken(fields)
        let error = try fields.requiredString("error", maxLength: 10_000)
        let retryable: Bool
        switch fields.object["retryable"] {
        case nil, .null?: retryable = true
        case .bool(let value)?: retryable = value
        default: throw APIError.invalidField("retryable", "must be true or false")
        }
        let task = try await attempts.fail(taskID: id, token: token, error: error, retryable: retryable)
        return try JSONResponse.make(.ok, TaskRepresentation(task))
    }

    /// `GET /workers`: every recorded worker, most recently seen first.
    func list() async throws -> Response {
        let now = environment.clock.now
        let workers = try await environment.store.workers()
        return try JSONResponse.make(.ok, WorkerList(workers: workers.map { WorkerRepresentation($0, now: now) }))
    }

    private func leaseToken(_ fields: JSONFields) throws -> LeaseToken {
        let text = try fields.requiredString("lease_token", maxLength: 400)
        guard let token = LeaseToken(text: text) else {
            throw APIError.invalidField("lease_token", "is not a lease token this server handed out (copy it from the claim's answer)")
        }
        return token
    }

    /// `progress`: `{"fraction": 0-1, "message": …, "data": …}`, or absent.
    private func progress(_ fields: JSONFields) throws -> (fraction: Double, message: String?, data: JSONValue?)? {
        switch fields.object["progress"] {
        case nil, .null?: return nil
        case .object(let object)?:
            let progress = JSONFields(object: object)
            try progress.rejectUnknown(["fraction", "message", "data"])
            guard case .number(let fraction)? = object["fraction"], (0...1).contains(fraction) else {
                throw APIError.invalidField("progress.fraction", "is required: a number from 0 to 1")
            }
            let message = try progress.string("message", maxLength: TaskProgress.messageLimit)
            let data = object["data"]
            if let data, try JSONText.encode(data).utf8.count > TaskProgress.dataLimit {
                throw APIError.invalidField("progress.data", "is larger than \(TaskProgress.dataLimit) bytes of JSON")
            }
            return (fraction, message, data)
        default:
            throw APIError.invalidField("progress", "must be an object with fraction (0 to 1), and optionally message and data")
        }
    }

    struct ClaimedTasks: Encodable {
        var tasks: [ClaimedTask]
    }

    struct HeartbeatAnswer: Encodable {
        var cancelRequested: Bool
        var leaseExpiresAt: String

        enum CodingKeys: String, CodingKey {
            case cancelRequested = "cancel_requested"
            case leaseExpiresAt = "lease_expires_at"
        }
    }

    struct WorkerList: Encodable {
        var workers: [WorkerRepresentation]
    }
}
