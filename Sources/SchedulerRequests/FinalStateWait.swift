import Foundation
import Scheduler
import ServiceLifecycle

/// Waits for a task to reach a final state, for `GET /tasks/{id}?wait=`: woken by the
/// task's events, and re-reading the row at least every second for changes no event
/// announces (another process writing a SQLite file, a PostgreSQL pooler without LISTEN).
package struct FinalStateWait {
    let store: any TaskStore

    package init(store: any TaskStore) {
        self.store = store
    }

    /// How often the row is read again when no event comes.
    static let recheck = Duration.seconds(1)

    /// The task once it is final or `limit` has passed, whichever is first; throws
    /// ``SchedulerError/taskNotFound(_:)`` for an unknown id.
    package func task(id: UUID, waitingUpTo limit: Duration) async throws -> AgentTask {
        let subscription = store.events.subscribe(EventFilter(taskID: id))
        defer { subscription.cancel() }
        let deadline = ContinuousClock.now + limit
        // At shutdown the wait ends with the task as it is, rather than hold the server up.
        return try await withGracefulShutdownHandler {
            while true {
                guard let task = try await store.task(id: id) else { throw SchedulerError.taskNotFound(id) }
                let remaining = deadline - ContinuousClock.now
                if task.status.isFinal || remaining <= .zero || Task.isCancelled { return task }
                if case .ended = await subscription.next(timeout: min(remaining, Self.recheck)) { return task }
            }
        } onGracefulShutdown: {
            subscription.cancel()
        }
    }
}
