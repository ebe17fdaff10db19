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

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var queue: [TaskEvent] = []
        var gap = false
        var end: End?
        var waiter: Waiter?
        var nextWaitID = 0
        /// A wait whose timer fired before it began waiting: it must not wait at all.
        var expiredEarly: Int?
    }

    private let state = Mutex(State())

    init(filter: EventFilter, limit: Int, bus: TaskEventBus) {
        self.filter = filter
        self.limit = limit
        self.bus = bus
    }

    /// Queues the events that pass the filter; ends the subscription if the queue would
    /// pass its limit, and then returns `false` so that the bus lets it go. Called by the
    /// bus under its lock: must not wait.
    func offer(_ events: [TaskEvent]) -> Bool {
        let (waiter, open) = state.withLock { state -> (Waiter?, Bool) in
            guard state.end == nil else { return (nil, false) }
            let before = state.queue.count
            for event in events where filter.matches(event) { state.queue.append(event) }
            if state.queue.count > limit {
                state.queue.removeAll()
                state.end = .tooSlow
            } else if state.queue.count == before {
                return (nil, true)
            }
            defer { state.waiter = nil }
            return (state.waiter, state.end == nil)
        }
        waiter?.continuation.resume()
        return open
    }

    func markGap() {
        state.withLock { $0.gap = true }
    }

    /// Waits up to `timeout` for events and returns them all; see ``Next``.
    public func next(timeout: Duration) async -> Next {
        if let ready = take() { return ready }
        let id = state.withLock { state in
            state.nextWaitID += 1
            return state.nextWaitID
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.wakeWaiter(id)
        }
        defer { timer.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if !state.queue.isEmpty || state.gap || state.end != nil || Task.isCancelled
                        || state.expiredEarly == id
                    {
                        return true
                    }
                    state.waiter = Waiter(id: id, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.wakeWaiter(id)
        }
        if Task.isCancelled { return .ended(.closed) }
        return take() ?? .idle
    }

    /// Ends the subscription: the client went away or the server is stopping.
    public func cancel() {
        let waiter = state.withLock { state -> Waiter? in
            if state.end == nil { state.end = .closed }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.continuation.resume()
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

    /// Ends the wait with this id, if it is the one waiting (a timer of an earlier wait
    /// may fire late).
    private func wakeWaiter(_ id: Int) {
        let waiter = state.withLock { state -> Waiter? in
            guard let waiter = state.waiter, waiter.id == id else {
                state.expiredEarly = id
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.continuation.resume()
    }
}
