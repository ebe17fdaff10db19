import Foundation
import Synchronization

/// One client's queue of events from a ``TaskEventBus``: filled by the bus without
/// waiting, emptied by the client at its own pace, and ended (never grown without bound)
/// when the client falls ``TaskEventBus/clientQueueLimit`` events behind.
public final class EventSubscription: Sendable {
    /// What a wait for events returns.
    public enum Next: Sendable {
        /// Events that passed the filter, oldest first.
        case events([TaskEvent])
        /// Nothing arrived before the timeout: time for a keep-alive.
        case idle
        /// The resume id was older than the events kept (or from another process): the
        /// client must re-read current state. Comes first, once.
        case gap
        /// The subscription ended and nothing more will come.
        case ended(End)
    }

    /// Why a subscription ended.
    public enum End: Sendable, Equatable {
        /// The client fell too many events behind.
        case tooSlow
        /// The client or the server closed it.
        case closed
    }

    public let filter: EventFilter
    private let limit: Int
    private weak let bus: TaskEventBus?

    private struct State {
        var queue: [TaskEvent] = []
        var gap = false
        var end: End?
    }

    private let state = Mutex(State())
    /// Wakes the one reader when something is there to take.
    private let arrived = WakeSignal()

    init(filter: EventFilter, limit: Int, bus: TaskEventBus) {
        self.filter = filter
        self.limit = limit
        self.bus = bus
    }

    /// Queues the events that pass the filter; ends the subscription if the queue would
    /// pass its limit, and then returns `false` so that the bus lets it go. Called by the
    /// bus under its lock: must not wait.
    func offer(_ events: [TaskEvent]) -> Bool {
        let (changed, open) = state.withLock { state -> (Bool, Bool) in
            guard state.end == nil else { return (false, false) }
            let before = state.queue.count
            for event in events where filter.matches(event) { state.queue.append(event) }
            if state.queue.count > limit {
                state.queue.removeAll()
                state.end = .tooSlow
            }
            return (state.queue.count != before || state.end != nil, state.end == nil)
        }
        if changed { arrived.signal() }
        return open
    }

    func markGap() {
        state.withLock { $0.gap = true }
        arrived.signal()
    }

    /// Waits up to `timeout` for events and returns them all; see ``Next``.
    public func next(timeout: Duration) async -> Next {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let ready = take() { return ready }
            // A signal kept from events already taken wakes the wait early: wait again.
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return .idle }
            await arrived.wait(timeout: remaining)
            if Task.isCancelled { return .ended(.closed) }
        }
    }

    /// Ends the subscription: the client went away or the server is stopping.
    public func cancel() {
        state.withLock { state in
            if state.end == nil { state.end = .closed }
        }
        arrived.signal()
        bus?.remove(self)
    }

    private func take() -> Next? {
        state.withLock { state -> Next? in
            if state.gap {
                state.gap = false
                return .gap
            }
            if !state.queue.isEmpty {
                defer { state.queue.removeAll(keepingCapacity: true) }
                return .events(state.queue)
            }
            if let end = state.end { return .ended(end) }
            return nil
        }
    }
}
