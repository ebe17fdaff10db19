import Foundation
import Logging
import ServiceLifecycle

/// A ``TaskStore`` whose every database call has a bound (``DatabaseBounds``): PostgreSQL
/// connections can die mid-statement (a failover, `pg_terminate_backend`, a proxy's idle
/// cut), and a call whose answer is lost with its connection must end in an error the
/// caller retries, not a wait that stops the engine for good.
///
/// ``StoreFactory`` wraps every PostgreSQL store in one; schema changes (`migrate`, SQL
/// scripts) are left unbounded, since a large migration may rightly take long.
public struct BoundedTaskStore<Inner: TaskStore>: TaskStore {
    /// The store doing the work.
    public let inner: Inner
    public let bounds: DatabaseBounds

    public init(_ inner: Inner, bounds: DatabaseBounds = DatabaseBounds()) {
        self.inner = inner
        self.bounds = bounds
    }

    private func bounded<T: Sendable>(
        _ operation: String, _ bound: KeyPath<DatabaseBounds, Duration>, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await DatabaseDeadline.run(operation, within: bounds[keyPath: bound], body)
    }

    public func run() async throws { try await inner.run() }
    public var databaseKind: DatabaseKind { inner.databaseKind }
    public var location: String { inner.location }
    public var events: TaskEventBus { inner.events }
    public func checkReachable() async throws { try await inner.checkReachable() }
    public func close() async { await inner.close() }
    public func lockForServing() throws { try inner.lockForServing() }

    public func migrate(modules: [any SchemaModule]) async throws -> [AppliedMigration] {
        try await inner.migrate(modules: modules)
    }

    public func run(statements: [String]) async throws { try await inner.run(statements: statements) }

    public func wakeListener(logger: Logger, wake: @escaping @Sendable () -> Void) -> (any Service)? {
        inner.wakeListener(logger: logger, wake: wake)
    }

    public var underlyingStore: any TaskStore { inner.underlyingStore }

    public func enqueue(_ task: NewTask, now: Date) async throws -> EnqueueResult {
        try await bounded("enqueue", \.general) { [inner] in try await inner.enqueue(task, now: now) }
    }

    public func enqueue(batch tasks: [NewTask], now: Date) async throws -> [EnqueueResult] {
        try await bounded("enqueue", \.general) { [inner] in try await inner.enqueue(batch: tasks, now: now) }
    }

    public func claim(taskTypes: [String], limit: Int, workerID: String, leaseUntil: Date, now: Date) async throws -> [AgentTask] {
        try await bounded("claim", \.hotPath) { [inner] in try await inner.claim(taskTypes: taskTypes, limit: limit, workerID: workerID, leaseUntil: leaseUntil, now: now) }
    }

    public func claim(id: UUID, workerID: String, leaseUntil: Date, now: Date) async throws -> AgentTask? {
        try await bounded("claim", \.hotPath) { [inner] in try await inner.claim(id: id, workerID: workerID, leaseUntil: leaseUntil, now: now) }
    }

    public func finish(_ records: [AttemptRecord]) async throws -> Set<UUID> {
        try await bounded("finish", \.hotPath) { [inner] in try await inner.finish(records) }
    }

    public func extendLeases(_ attempts: [UUID: Int], workerID: String, until: Date) async throws -> Set<UUID> {
        try await bounded("extendLeases", \.hotPath) { [inner] in try await inner.extendLeases(attempts, workerID: workerID, until: until) }
    }

    public func rescueExpiredLeases(now: Date, policy: RetryPolicy, limit: Int) async throws -> [UUID] {
        try await bounded("rescueExpiredLeases", \.hotPath) { [inner] in try await inner.rescueExpiredLeases(now: now, policy: policy, limit: limit) }
    }

    public func release(ids: [UUID], workerID: String, now: Date) async throws -> Int {
        try await bounded("release", \.hotPath) { [inner] in try await inner.release(ids: ids, workerID: workerID, now: now) }
    }

    public func cancel(id: UUID, now: Date) async throws -> AgentTask {
        try await bounded("cancel", \.general) { [inner] in try await inner.cancel(id: id, now: now) }
    }

    public func cancellationRequests(among ids: [UUID]) async throws -> Set<UUID> {
        try await bounded("cancellationRequests", \.hotPath) { [inner] in try await inner.cancellationRequests(among: ids) }
    }

    public func retry(id: UUID, now: Date) async throws -> AgentTask {
        try await bounded("retry", \.general) { [inner] in try await inner.retry(id: id, now: now) }
    }

    public func saveProgress(_ progress: TaskProgress, taskID: UUID, workerID: String) async throws -> Bool {
        try await bounded("saveProgress", \.hotPath) { [inner] in try await inner.saveProgress(progress, taskID: taskID, workerID: workerID) }
    }

    public func recordWorker(_ sighting: WorkerSighting) async throws {
        try await bounded("recordWorker", \.hotPath) { [inner] in try await inner.recordWorker(sighting) }
    }

    public func workers() async throws -> [WorkerStatus] {
        try await bounded("workers", \.general) { [inner] in try await inner.workers() }
    }

    public func claimDeliveries(limit: Int, dispatcherID: String, leaseUntil: Date, now: Date) async throws -> [WebhookDelivery] {
        try await bounded("claimDeliveries", \.hotPath) { [inner] in try await inner.claimDeliveries(limit: limit, dispatcherID: dispatcherID, leaseUntil: leaseUntil, now: now) }
    }

    public func recordDelivery(id: Int64, dispatcherID: String, result: WebhookAttemptResult) async throws {
        try await bounded("recordDelivery", \.hotPath) { [inner] in try await inner.recordDelivery(id: id, dispatcherID: dispatcherID, result: result) }
    }

    public func deliveries(taskID: UUID) async throws -> [WebhookDelivery] {
        try await bounded("deliveries", \.general) { [inner] in try await inner.deliveries(taskID: taskID) }
    }

    public func task(id: UUID) async throws -> AgentTask? {
        try await bounded("task", \.general) { [inner] in try await inner.task(id: id) }
    }

    public func tasks(ids: [UUID]) async throws -> [AgentTask] {
        try await bounded("tasks", \.general) { [inner] in try await inner.tasks(ids: ids) }
    }

    public func tasks(matching filter: TaskFilter) async throws -> [AgentTask] {
        try await bounded("tasks", \.general) { [inner] in try await inner.tasks(matching: filter) }
    }

    public func counts(registeredTypes: [String], limit: Int) async throws -> TaskCounts {
        try await bounded("counts", \.general) { [inner] in try await inner.counts(registeredTypes: registeredTypes, limit: limit) }
    }

    public func queue(now: Date) async throws -> [TypeQueue] {
        try await bounded("queue", \.general) { [inner] in try await inner.queue(now: now) }
    }

    public func endedCounts() async throws -> [EndedCount] {
        try await bounded("endedCounts", \.general) { [inner] in try await inner.endedCounts() }
    }

    public func attemptSummary(now: Date, limit: Int) async throws -> AttemptSummary {
        try await bounded("attemptSummary", \.general) { [inner] in try await inner.attemptSummary(now: now, limit: limit) }
    }

    public func actionLog(taskID: UUID) async throws -> [ActionLogEntry] {
        try await bounded("actionLog", \.general) { [inner] in try await inner.actionLog(taskID: taskID) }
    }

    public func nextDueDate(taskTypes: [String]) async throws -> Date? {
        try await bounded("nextDueDate", \.hotPath) { [inner] in try await inner.nextDueDate(taskTypes: taskTypes) }
    }

    public func pause(taskType: String, now: Date) async throws -> Bool {
        try await bounded("pause", \.general) { [inner] in try await inner.pause(taskType: taskType, now: now) }
    }

    public func resume(taskType: String) async throws -> Bool {
        try await bounded("resume", \.general) { [inner] in try await inner.resume(taskType: taskType) }
    }

    public func pausedTaskTypes() async throws -> [String: Date] {
        try await bounded("pausedTaskTypes", \.general) { [inner] in try await inner.pausedTaskTypes() }
    }

    public func prune(_ target: PruneTarget, before: Date, limit: Int) async throws -> Int? {
        try await bounded("prune", \.pruning) { [inner] in try await inner.prune(target, before: before, limit: limit) }
    }

    public func countPrunable(_ target: PruneTarget, before: Date) async throws -> Int {
        try await bounded("countPrunable", \.general) { [inner] in try await inner.countPrunable(target, before: before) }
    }

    public func saveSchedule(_ schedule: Schedule) async throws -> Bool {
        try await bounded("saveSchedule", \.general) { [inner] in try await inner.saveSchedule(schedule) }
    }

    public func schedules() async throws -> [Schedule] {
        try await bounded("schedules", \.general) { [inner] in try await inner.schedules() }
    }

    public func deleteSchedule(named name: String) async throws -> Schedule? {
        try await bounded("deleteSchedule", \.general) { [inner] in try await inner.deleteSchedule(named: name) }
    }

    public func advanceSchedule(named name: String, from: Date, to: Date?, ranAt: Date) async throws -> Bool {
        try await bounded("advanceSchedule", \.hotPath) { [inner] in try await inner.advanceSchedule(named: name, from: from, to: to, ranAt: ranAt) }
    }

    public func sharedKey(named name: String, creating candidate: String) async throws -> String {
        try await bounded("sharedKey", \.general) { [inner] in try await inner.sharedKey(named: name, creating: candidate) }
    }

    public func revokeSession(nonce: String, expiresAt: Date, now: Date) async throws {
        try await bounded("revokeSession", \.general) { [inner] in
            try await inner.revokeSession(nonce: nonce, expiresAt: expiresAt, now: now)
        }
    }

    public func isSessionRevoked(nonce: String) async throws -> Bool {
        try await bounded("isSessionRevoked", \.general) { [inner] in try await inner.isSessionRevoked(nonce: nonce) }
    }

    public func taskIDs(in range: (low: UUID, high: UUID), limit: Int) async throws -> [UUID] {
        try await bounded("taskIDs", \.general) { [inner] in try await inner.taskIDs(in: range, limit: limit) }
    }
}
