import Foundation
import Hummingbird
import Scheduler

/// The live endpoints: `GET /events` (every task's events, filtered) and
/// `GET /tasks/{id}/events` (one task's, ending after its final state).
struct EventRoutes {
    let environment: APIEnvironment

    /// `GET /events?task_id=&task_type=&user_id=&type=`, resumable with `Last-Event-ID`.
    func all(_ request: Request) throws -> Response {
        let query = try EventQuery(request)
        let subscription = environment.store.events.subscribe(query.filter, after: query.lastEventID)
        return stream(subscription, opening: [], endsAtFinal: false, closesAfterOpening: false)
    }

    /// `GET /tasks/{id}/events`: a `task.snapshot` of the task as it is now, then its
    /// events until the one that makes it final (at once if it is final already).
    func task(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try TaskRoutes.taskID(context)
        let query = try EventQuery(request, taskID: id)
        // Subscribe before reading, so nothing between the read and the stream is missed.
        let subscription = environment.store.events.subscribe(query.filter, after: query.lastEventID)
        let task: AgentTask
        do {
            guard let found = try await environment.store.task(id: id) else { throw SchedulerError.taskNotFound(id) }
            task = found
        } catch {
            subscription.cancel()
            throw error
        }
        let snapshot = try ServerSentEvent.frame(event: "task.snapshot", TaskRepresentation(task))
        return stream(subscription, opening: [snapshot], endsAtFinal: true, closesAfterOpening: task.status.isFinal)
    }

    private func stream(
        _ subscription: EventSubscription, opening: [ByteBuffer], endsAtFinal: Bool, closesAfterOpening: Bool
    ) -> Response {
        EventStream(
            subscription: subscription, store: environment.store, heartbeat: environment.configuration.eventsHeartbeat,
            endsAtFinal: endsAtFinal, opening: opening, closesAfterOpening: closesAfterOpening,
            metrics: environment.metrics
        ).response()
    }
}
