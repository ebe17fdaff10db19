import Foundation
import Logging
import PostgresNIO
import Scheduler
import Synchronization

/// Decides whether this store's statements announce their events to other instances: a
/// `NOTIFY` costs PostgreSQL work on every change, so a serving instance sends them only
/// while another instance has clients to hand them to.
///
/// An instance whose bus is watched (it has event clients, or had them in the last few
/// minutes) keeps a row in `agent_scheduler_listeners`, renewed every 10 s and expiring
/// 30 s after it stops; every instance looks at that table each second. So events reach a
/// new client from other instances within about a second of its connecting. One-shot
/// commands (`.always`) announce every change: they are gone before they could look.
final class PostgresEventAudience: Sendable {
    let policy: EventAnnouncement
    private let othersListening = Atomic(false)
    private let nudge = WakeSignal()

    init(policy: EventAnnouncement) {
        self.policy = policy
    }

    /// The origin to announce changes with, or `nil` to announce nothing now.
    func origin(of bus: TaskEventBus) -> String? {
        policy == .always || othersListening.load(ordering: .relaxed) ? bus.origin : nil
    }

    /// Keeps this instance's row and the view of the others' up to date until cancelled.
    /// `listens` says whether this instance hears notices at all (no LISTEN behind a
    /// transaction pooler), which registering requires.
    func run(store: PostgresTaskStore, listens: Bool, logger: Logger) async {
        guard policy == .whenListened else { return }
        let bus = store.events
        bus.observeSubscriptions { [nudge] in nudge.signal() }
        var renewedAt: ContinuousClock.Instant?
        while !Task.isCancelled {
            do {
                // Bounded and abandoned at cancellation like the store's own calls: a
                // statement lost with its connection must not hold up shutdown.
                renewedAt = try await DatabaseDeadline.run("look for event listeners", within: Self.lookBound) {
                    [renewedAt] in
                    try await self.lookOnce(store: store, bus: bus, listens: listens, renewedAt: renewedAt)
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("could not look for event listeners; will try again", metadata: [
                    "error": "\(DatabaseErrorDescription.describe(error))",
                ])
            }
            await nudge.wait(timeout: Self.lookInterval)
        }
    }

    /// Renews or removes this instance's row as its bus is watched or not, and reads
    /// whether another instance listens; returns when the row was last renewed.
    private func lookOnce(
        store: PostgresTaskStore, bus: TaskEventBus, listens: Bool, renewedAt: ContinuousClock.Instant?
    ) async throws -> ContinuousClock.Instant? {
        var renewedAt = renewedAt
        let watched = listens && bus.isWatched
        if watched, renewedAt.map({ ContinuousClock.now - $0 >= Self.renewal }) ?? true {
            _ = try await store.query(
                """
                INSERT INTO agent_scheduler_listeners (origin, expires_at)
                VALUES (\(bus.origin), now() + interval '30 seconds')
                ON CONFLICT (origin) DO UPDATE SET expires_at = EXCLUDED.expires_at
                """
            ).collect()
            renewedAt = .now
        } else if !watched, renewedAt != nil {
            _ = try await store.query("DELETE FROM agent_scheduler_listeners WHERE origin = \(bus.origin)").collect()
            renewedAt = nil
        }
        let rows = try await store.query(
            """
            SELECT EXISTS (
                SELECT 1 FROM agent_scheduler_listeners WHERE origin <> \(bus.origin) AND expires_at > now())
            """
        )
        for try await listening in rows.decode(Bool.self) { othersListening.store(listening, ordering: .relaxed) }
        return renewedAt
    }

    /// The longest one look may take.
    static let lookBound = Duration.seconds(2)

    /// How often the others' rows are looked at.
    static let lookInterval = Duration.seconds(1)
    /// How often a watched instance renews its row.
    static let renewal = Duration.seconds(10)
}
