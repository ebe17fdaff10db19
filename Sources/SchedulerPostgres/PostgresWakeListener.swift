import Foundation
import Logging
import PostgresNIO
import Scheduler
import ServiceLifecycle
import Synchronization

/// Wakes the engine the moment a task becomes pending anywhere: the `agent_tasks`
/// triggers send `NOTIFY agent_tasks_due` on every insert or update to `pending`, by
/// this process, another instance, or another service's plain SQL. The same connection
/// hears the other instances' task events (``PostgresEventNotice``) and publishes them
/// on the store's bus.
///
/// It holds one pooled connection in `LISTEN`, and when that connection drops it waits
/// (1 s, doubling to 30 s) and listens again; the engine's poll interval remains the
/// fallback where LISTEN cannot work (e.g. PgBouncer in transaction mode). The store
/// hands it out as its ``TaskStore/wakeListener(logger:wake:)``.
struct PostgresWakeListener: Service {
    /// The notification channel the triggers use.
    static let channel = "agent_tasks_due"

    let store: PostgresTaskStore
    let wake: @Sendable () -> Void
    let logger: Logger

    init(store: PostgresTaskStore, logger: Logger, wake: @escaping @Sendable () -> Void) {
        self.store = store
        self.logger = logger
        self.wake = wake
    }

    func run() async {
        await cancelWhenGracefulShutdown {
            var delay = Duration.seconds(1)
            while !Task.isCancelled {
                let listened = Atomic(false)
                do {
                    // Abandoned at shutdown: a LISTEN sent on a connection that died may never answer.
                    try await DatabaseDeadline.run("LISTEN", within: .seconds(365 * 86_400)) {
                        try await listenOnce { listened.store(true, ordering: .relaxed) }
                    }
                } catch {
                    if listened.load(ordering: .relaxed) { delay = .seconds(1) }
                    if Task.isCancelled { return }
                    logger.warning("LISTEN connection lost; polling covers the gap until it is back", metadata: [
                        "error": "\(DatabaseErrorDescription.describe(error))", "retry_in": "\(delay)",
                    ])
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(30))
            }
        }
    }

    /// Listens until the connection fails; calls `onListening` once LISTEN is in place.
    private func listenOnce(onListening: @escaping @Sendable () -> Void) async throws {
        let events = store.events
        try await store.client.withConnection { connection in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await connection.listen(on: Self.channel) { notifications in
                        onListening()
                        logger.debug("listening for due tasks", metadata: ["channel": "\(Self.channel)"])
                        // A task may have arrived while nobody listened.
                        wake()
                        for try await _ in notifications { wake() }
                    }
                }
                group.addTask {
                    try await connection.listen(on: PostgresEventNotice.channel) { notifications in
                        for try await notification in notifications {
                            if let heard = PostgresEventNotice.events(
                                in: notification.payload, skipping: events.origin, at: Date())
                            {
                                events.publish(heard)
                            }
                        }
                    }
                }
                // Either sequence ending means the connection is gone.
                try await group.next()
                group.cancelAll()
            }
        }
    }
}
