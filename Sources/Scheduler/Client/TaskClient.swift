import Foundation

/// What a Swift service that creates tasks uses: enqueue a task for a handler type with
/// its typed context, checked the way the HTTP API checks one. For an enqueue inside the
/// service's own PostgreSQL transaction, see ``PostgresTaskStore/enqueue(_:on:now:logger:)``.
public struct TaskClient: Sendable {
    let intake: TaskIntake

    /// A client whose tasks may be of any type, run here or by another service.
    public init(store: any TaskStore, clock: any WallClock = SystemClock()) {
        intake = TaskIntake(store: store, registry: nil, clock: clock)
    }

    /// Enqueues a task for `handler`; with an idempotency key already taken, returns the
    /// task that holds it (`created` false).
    @discardableResult
    public func enqueue<Handler: TaskHandler>(
        _ handler: Handler.Type,
        context: Handler.Context,
        userID: UUID? = nil,
        at scheduledFor: Date? = nil,
        priority: TaskPriority = .medium,
        maxRetries: Int = 3,
        idempotencyKey: String? = nil,
        agentType: String = "scheduler"
    ) async throws -> EnqueueResult {
        let task = try NewTask(
            handler, context: context, userID: userID, scheduledFor: scheduledFor, priority: priority,
            maxRetries: maxRetries, idempotencyKey: idempotencyKey, agentType: agentType, createdBy: "TaskClient")
        return try await intake.enqueue(task)
    }

    /// Enqueues tasks built with ``NewTask/init(_:context:userID:scheduledFor:priority:maxRetries:idempotencyKey:agentType:createdBy:)``,
    /// all together or none, in the order given.
    @discardableResult
    public func enqueue(batch tasks: [NewTask]) async throws -> [EnqueueResult] {
        try await intake.enqueue(batch: tasks)
    }
}
