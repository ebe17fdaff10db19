import Foundation
import ServiceLifecycle
import Synchronization

/// The worker API's semantics, apart from HTTP: remote workers claim tasks of remote
/// types, renew their leases, and end attempts exactly as in-process handlers do (the
/// same retry policy, `max_retries`, `error_log` and one action-log row per attempt
/// with the worker's id), each call checked against its ``LeaseToken``.
public struct RemoteAttempts: Sendable {
    let store: any TaskStore
    let engine: Engine
    let clock: any WallClock
    let keys: LeaseKeyring

    package init(store: any TaskStore, engine: Engine, clock: any WallClock, keys: LeaseKeyring) {
        self.store = store
        self.engine = engine
        self.clock = clock
        self.keys = keys
    }

    /// The key this deployment's lease tokens are signed with.
    package func leaseKey() async throws -> LeaseKey {
        try await keys.key(from: store)
    }

    /// What a heartbeat answers: whether the worker should stop, and until when it holds
    /// the task now.
    public struct Heartbeat: Sendable, Hashable {
        public var cancelRequested: Bool
        public var leaseExpiresAt: Date
    }

    /// Claims up to `limit` due tasks of `taskTypes` for `workerID`; with `wait`, waits
    /// until one is due (woken as the engine is, and when the earliest pending task of
    /// those types comes due) or `wait` has passed; at graceful shutdown the wait ends at
    /// once, so that the server need not wait for it. Records the worker's sighting.
    public func claim(
        workerID: String, taskTypes: [String], limit: Int, lease: Duration, wait: Duration
    ) async throws -> [AgentTask] {
        try await store.recordWorker(WorkerSighting(workerID: workerID, kind: .remote, taskTypes: taskTypes, seenAt: clock.now))
        let deadline = ContinuousClock.now + wait
        let pollInterval = engine.configuration.pollInterval
        let stopping = Atomic(false)
        return try await engine.arrivals.withWaiter { arrival in
            try await withGracefulShutdownHandler {
                while true {
                    let now = clock.now
                    let tasks = try await store.claim(
                        taskTypes: taskTypes, limit: limit, workerID: workerID,
                        leaseUntil: now.addingTimeInterval(lease.timeInterval), now: now)
                    let remaining = deadline - ContinuousClock.now
                    if !tasks.isEmpty || remaining <= .zero || Task.isCancelled || stopping.load(ordering: .relaxed) {
                        return tasks
                    }
                    let next = try await store.nextDueDate(taskTypes: taskTypes)
                    await arrival.wait(
                        timeout: ClaimWait.duration(nextDue: next, now: clock.now, maximum: min(remaining, pollInterval)))
                }
            } onGracefulShutdown: {
                stopping.store(true, ordering: .relaxed)
                arrival.signal()
            }
        }
    }

    /// Renews the lease for `lease` from now and stores `progress` if given; throws
    /// ``SchedulerError/leaseNotHeld(id:reason:)`` when the token no longer holds the task.
    public func heartbeat(
        taskID: UUID, token: LeaseToken, lease: Duration, progress: (fraction: Double, message: String?, data: JSONValue?)?
    ) async throws -> Heartbeat {
        let task = try await held(taskID, by: token)
        let now = clock.now
        try await store.recordWorker(
            WorkerSighting(workerID: token.workerID, kind: .remote, taskTypes: [task.taskType], seenAt: now))
        let until = now.addingTimeInterval(lease.timeInterval)
        guard try await store.extendLeases([taskID: token.attempt], workerID: token.workerID, until: until).contains(taskID) else {
            throw try await notHeld(taskID, by: token)
        }
        if let progress {
            try await store.saveProgress(
                TaskProgress(fraction: progress.fraction, message: progress.message, data: progress.data,
                             attempt: token.attempt, updatedAt: now),
                taskID: taskID, workerID: token.workerID)
        }
        let current = try await store.task(id: taskID)
        return Heartbeat(cancelRequested: current?.cancelRequestedAt != nil, leaseExpiresAt: until)
    }

    /// Ends the attempt with its result: the task is `completed`, or `cancelled` with
    /// ``SchedulerError/resultRefused(id:reason:)`` thrown if cancellation was requested.
    public func complete(taskID: UUID, token: LeaseToken, resultJSON: String) async throws -> AgentTask {
        let task = try await finish(taskID, by: token) { _, _ in .completed(resultJSON: StoredText.json(resultJSON)) }
        if task.status == .cancelled {
            throw SchedulerError.resultRefused(
                id: taskID, reason: "cancellation was requested while it ran, so the result was not stored")
        }
        return task
    }

    /// Ends the attempt as failed: retried with backoff while retries remain and
    /// `retryable`, failed for good otherwise (or `cancelled` if that was requested).
    public func fail(taskID: UUID, token: LeaseToken, error: String, retryable: Bool) async throws -> AgentTask {
        let policy = engine.configuration.retryPolicy
        return try await finish(taskID, by: token) { task, now in
            policy.outcome(of: task, failingWith: StoredText.text(error), retryable: retryable, now: now)
        }
    }

    /// Writes the attempt's record (the store applies it only while the worker holds the
    /// task for that attempt) and returns the task as it ended up.
    private func finish(
        _ taskID: UUID, by token: LeaseToken, outcome: (AgentTask, Date) -> AttemptRecord.Outcome
    ) async throws -> AgentTask {
        let task = try await held(taskID, by: token)
        let now = clock.now
        let record = AttemptRecord(
            task: task, workerID: token.workerID, startedAt: task.lastAttemptedAt ?? now, finishedAt: now,
            outcome: outcome(task, now))
        guard try await store.finish([record]).contains(taskID) else { throw try await notHeld(taskID, by: token) }
        // Counted, timed and logged like an in-process attempt.
        engine.account(record)
        return try await store.task(id: taskID) ?? task
    }

    /// The task, if `token` holds its lease now; throws why not otherwise. Only tasks of
    /// remote types: an in-process attempt is the engine's to end.
    private func held(_ taskID: UUID, by token: LeaseToken) async throws -> AgentTask {
        guard let task = try await store.task(id: taskID) else { throw SchedulerError.taskNotFound(taskID) }
        guard engine.registry.isRemote(task.taskType) else {
            throw SchedulerError.leaseNotHeld(
                id: taskID, reason: "its type '\(task.taskType)' is not remote: an in-process handler runs it, not a worker")
        }
        guard token.isSigned(for: taskID, with: try await leaseKey()) else {
            throw SchedulerError.leaseNotHeld(id: taskID, reason: "the lease token was not handed out for this task")
        }
        if let reason = Self.whyNotHeld(task, by: token, now: clock.now) {
            throw SchedulerError.leaseNotHeld(id: taskID, reason: reason)
        }
        return task
    }

    /// The error for a write that did not apply, explained from the task as it is now.
    private func notHeld(_ taskID: UUID, by token: LeaseToken) async throws -> SchedulerError {
        guard let task = try await store.task(id: taskID) else { return .taskNotFound(taskID) }
        return .leaseNotHeld(id: taskID, reason: Self.whyNotHeld(task, by: token, now: clock.now) ?? "it changed meanwhile")
    }

    /// Why `token` does not hold `task` at `now`, or `nil` when it does.
    static func whyNotHeld(_ task: AgentTask, by token: LeaseToken, now: Date) -> String? {
        guard task.status == .processing else { return "the task is \(task.status.rawValue)" }
        guard task.lockedBy == token.workerID else { return "another worker holds it now" }
        guard task.attempt == token.attempt else {
            return "the token is for attempt \(token.attempt), and the task is on attempt \(task.attempt)"
        }
        if let until = task.lockedUntil, until < now {
            return "the lease expired at \(Timestamp.string(from: until)) (heartbeat more often, or claim with a longer lease_seconds)"
        }
        return nil
    }
}
