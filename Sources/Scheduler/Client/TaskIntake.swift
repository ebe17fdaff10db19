import Foundation

/// The one way a task enters the queue from this process: checked the same way whoever
/// sends it, then written.
///
/// `POST /tasks` and `/tasks/batch`, the MCP tools, `agent-scheduler enqueue`,
/// ``TaskClient`` and the schedule ticker all enqueue through it. Nobody wakes an engine
/// afterwards: the store publishes `task.created`, and every engine of the process that
/// runs the type wakes on it (``Engine``).
public struct TaskIntake: Sendable {
    /// A task of a batch that was refused, by its place in the batch; none was written.
    public struct RefusedTask: Error, CustomStringConvertible {
        /// Where the task is in the batch, from 0.
        public let index: Int
        /// Why it was refused.
        public let reason: SchedulerError

        public var description: String { "task \(index) of the batch: \(reason)" }
    }

    let store: any TaskStore
    let registry: HandlerRegistry?
    let webhooks: WebhookConfiguration?
    let clock: any WallClock

    /// An intake that checks tasks against `registry` (when given: the type is run here or
    /// declared, its context is one the handler accepts, its user is there if required)
    /// and their callback URL against `webhooks` (when given), besides what every task
    /// must be (no text the database refuses).
    public init(
        store: any TaskStore, registry: HandlerRegistry?, webhooks: WebhookConfiguration? = nil,
        clock: any WallClock = SystemClock()
    ) {
        self.store = store
        self.registry = registry
        self.webhooks = webhooks
        self.clock = clock
    }

    /// Throws the ``SchedulerError`` that names what is wrong with `task`, if anything.
    public func check(_ task: NewTask) throws(SchedulerError) {
        if let registry { try registry.validate(task) } else { try StoredText.checkStorable(task) }
        try webhooks?.checkCallbackURL(of: task)
    }

    /// Checks and writes a task; with an idempotency key already taken, returns the task
    /// that holds it (`created` false).
    public func enqueue(_ task: NewTask) async throws -> EnqueueResult {
        try check(task)
        return try await store.enqueue(task, now: clock.now)
    }

    /// Checks every task, then writes them all together or none, in the order given;
    /// throws ``RefusedTask`` for the first refused one.
    public func enqueue(batch tasks: [NewTask]) async throws -> [EnqueueResult] {
        for (index, task) in tasks.enumerated() {
            do { try check(task) } catch { throw RefusedTask(index: index, reason: error) }
        }
        return try await store.enqueue(batch: tasks, now: clock.now)
    }
}
