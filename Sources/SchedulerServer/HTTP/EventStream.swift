import Foundation
import HTTPTypes
import Hummingbird
import Scheduler
import ServiceLifecycle

/// Writes a subscription to an HTTP response as Server-Sent Events: the events as they
/// come (details of other instances' events read back first), a comment after
/// ``SchedulerConfiguration/eventsHeartbeat`` of quiet, `stream.reset` when a resume id
/// is too old, and `stream.dropped` as the last event of a client that fell too far
/// behind. Ends when the client goes, at server shutdown, or after a final event when
/// `endsAtFinal`.
struct EventStream: Sendable {
    let subscription: EventSubscription
    let store: any TaskStore
    let heartbeat: Duration
    let endsAtFinal: Bool
    /// Frames to send before the first event, such as a task's current state.
    let opening: [ByteBuffer]
    /// Whether the stream ends after the opening frames (a task already final).
    let closesAfterOpening: Bool
    let metrics: SchedulerMetrics?

    static let headers: HTTPFields = [
        .contentType: "text/event-stream; charset=utf-8",
        .cacheControl: "no-cache",
        HTTPField.Name("X-Accel-Buffering")!: "no",
    ]

    /// The response whose body is the stream; the subscription ends with it.
    func response() -> Response {
        Response(status: .ok, headers: Self.headers, body: ResponseBody { writer in
            metrics?.streamOpened()
            defer {
                subscription.cancel()
                metrics?.streamClosed()
            }
            try await writer.write(ServerSentEvent.comment("connected"))
            for frame in opening { try await writer.write(frame) }
            if !closesAfterOpening {
                // At shutdown the stream ends, so that the server does not wait for its
                // clients to hang up; a client that went away is noticed at the next
                // write, a heartbeat at the latest.
                try await withGracefulShutdownHandler {
                    try await pump(into: &writer)
                } onGracefulShutdown: {
                    subscription.cancel()
                }
            }
            try await writer.finish(nil)
        })
    }

    private func pump(into writer: inout any ResponseBodyWriter) async throws {
        while !Task.isCancelled {
            switch await subscription.next(timeout: heartbeat) {
            case .idle:
                try await writer.write(ServerSentEvent.comment("keep-alive"))
            case .gap:
                try await writer.write(ServerSentEvent.frame(event: "stream.reset", ServerSentEvent.Notice(reason: """
                    the Last-Event-ID is older than the events this server keeps (or from another server): \
                    events may have been missed; re-read the tasks with GET /tasks
                    """)))
            case .ended(.tooSlow):
                try await writer.write(ServerSentEvent.frame(event: "stream.dropped", ServerSentEvent.Notice(reason: """
                    this client read too slowly and fell more than \(store.events.clientQueueLimit) events behind; \
                    reconnect with Last-Event-ID, or re-read the tasks with GET /tasks
                    """)))
                return
            case .ended(.closed):
                return
            case .events(let events):
                for event in try await withDetails(events) {
                    try await writer.write(ServerSentEvent.frame(event))
                    if endsAtFinal, event.isFinal { return }
                }
            }
        }
    }

    /// Reads back the details of the events heard from other instances, in one query.
    private func withDetails(_ events: [TaskEvent]) async throws -> [TaskEvent] {
        let missing = Set(events.filter(\.lacksDetails).map(\.taskID))
        guard !missing.isEmpty else { return events }
        let tasks = try await store.tasks(ids: Array(missing))
        let byID = Dictionary(tasks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return events.map { event in
            guard event.lacksDetails, let task = byID[event.taskID] else { return event }
            var event = event
            event.details = TaskEventDetails(readBack: task)
            return event
        }
    }
}
