import Foundation
import Synchronization

/// Hands each committed task event to the clients that want it, and keeps the most
/// recent ones so a client that reconnects with `Last-Event-ID` misses nothing.
///
/// The bus is *watched* while it has clients and for ``retention`` after the last one
/// left; only then does it keep events (and, on PostgreSQL, tell other instances to
/// announce theirs). Unwatched, publishing costs the numbering and the observers only.
///
/// Publishing never waits: each client has a bounded queue, and a client that falls
/// that far behind is dropped (``EventSubscription/End/tooSlow``) rather than slowing the
/// engine or growing memory. Observers (the metrics) are called synchronously with every
/// event. One bus per store, so two stores in one process act as two instances.
public final class TaskEventBus: Sendable {
    /// Names this process's events in notifications to other instances, so that it can
    /// tell its own from theirs.
    public let origin: String
    /// How many recent events are kept for resuming clients.
    public let capacity: Int
    /// How many undelivered events a client may have before it is dropped.
    public let clientQueueLimit: Int
    /// How long the bus stays watched after its last client left, so a client that
    /// reconnects within it resumes where it was.
    public let retention: Duration

    private struct State {
        var nextSequence: UInt64 = 1
        /// The recent events, oldest first, at most `capacity`.
        var recent: [TaskEvent] = []
        var recentStart = 0
        var subscribers: [ObjectIdentifier: EventSubscription] = [:]
        /// In the order they began observing, by id.
        var observers: [(id: Int, call: @Sendable (TaskEvent) -> Void)] = []
        var nextObserverID = 0
        var subscriptionObservers: [@Sendable () -> Void] = []
        /// Until when the bus stays watched after its last client left.
        var watchedUntil: ContinuousClock.Instant?
        /// Events up to this one were published unwatched and not kept: a resume from
        /// before it has missed some.
        var resumableAfter: UInt64 = 0
        /// Events about tasks whose creation is not announced yet (``CreationHolds``).
        var holds = CreationHolds()

        func isWatched(now: ContinuousClock.Instant) -> Bool {
            !subscribers.isEmpty || watchedUntil.map { now < $0 } == true
        }
    }

    private let state = Mutex(State())

    public init(capacity: Int = 10_000, clientQueueLimit: Int = 1_000, retention: Duration = .seconds(300)) {
        self.origin = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        self.capacity = max(1, capacity)
        self.clientQueueLimit = max(1, clientQueueLimit)
        self.retention = retention
    }

    /// Whether a client streams now or left less than ``retention`` ago.
    public var isWatched: Bool { state.withLock { $0.isWatched(now: .now) } }

    /// Calls `observer` each time a client subscribes, e.g. to start announcing at once.
    package func observeSubscriptions(_ observer: @escaping @Sendable () -> Void) {
        state.withLock { $0.subscriptionObservers.append(observer) }
    }

    /// The sequence of the newest event, 0 before the first.
    public var latestSequence: UInt64 { state.withLock { $0.nextSequence - 1 } }

    /// How many clients are streaming now.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Calls `observer` with every event published from now on, in order, until the
    /// returned observation ends (its owner stops).
    @discardableResult
    public func observe(_ observer: @escaping @Sendable (TaskEvent) -> Void) -> TaskEventObservation {
        let id = state.withLock { state in
            state.nextObserverID += 1
            state.observers.append((state.nextObserverID, observer))
            return state.nextObserverID
        }
        return TaskEventObservation { [weak self] in
            self?.state.withLock { $0.observers.removeAll { $0.id == id } }
        }
    }

    /// How many observers are called with each event.
    public var observerCount: Int { state.withLock { $0.observers.count } }

    /// Numbers the events, keeps them, and queues each for the clients whose filter it
    /// passes; an event about a task this process is still creating follows its
    /// `task.created` (``beginCreating(_:)``).
    public func publish(_ events: [TaskEvent]) {
        guard !events.isEmpty else { return }
        deliver { state in state.holds.admit(events) }
    }

    /// Notes that the tasks `ids` are being created, before the insert is sent; the
    /// creator then calls ``finishCreating(_:publishing:)`` whether it succeeded or not.
    public func beginCreating(_ ids: [UUID]) -> Int {
        state.withLock { $0.holds.begin(ids) }
    }

    /// Publishes a creation's `task.created` events (none when it failed or found the
    /// tasks already there), then the events about its tasks that came meanwhile.
    public func finishCreating(_ ticket: Int, publishing created: [TaskEvent]) {
        deliver { state in created + state.holds.end(ticket) }
    }

    /// Runs a creation of the tasks `ids` (``beginCreating(_:)``), then publishes the
    /// `task.created` events `created` makes of its result.
    package func creating<T>(_ ids: [UUID], _ body: () async throws -> T, created: (T) -> [TaskEvent]) async throws -> T {
        let ticket = beginCreating(ids)
        do {
            let result = try await body()
            finishCreating(ticket, publishing: created(result))
            return result
        } catch {
            finishCreating(ticket, publishing: [])
            throw error
        }
    }

    /// Numbers and hands out the events `take` chooses, under the same lock, so ids
    /// follow the order events are chosen in.
    private func deliver(_ take: (inout State) -> [TaskEvent]) {
        let (numbered, observers) = state.withLock { state -> ([TaskEvent], [@Sendable (TaskEvent) -> Void]) in
            let events = take(&state)
            guard !events.isEmpty else { return ([], []) }
            var numbered: [TaskEvent] = []
            numbered.reserveCapacity(events.count)
            let watched = state.isWatched(now: .now)
            if !watched, !state.recent.isEmpty {
                state.recent.removeAll()
                state.recentStart = 0
            }
            for var event in events {
                event.sequence = state.nextSequence
                state.nextSequence += 1
                numbered.append(event)
                if watched { Self.keep(event, in: &state, capacity: capacity) }
            }
            if !watched { state.resumableAfter = state.nextSequence - 1 }
            for (key, subscriber) in state.subscribers where !subscriber.offer(numbered) {
                state.subscribers.removeValue(forKey: key)
                state.watchedUntil = .now + retention
            }
            return (numbered, state.observers.map(\.call))
        }
        for event in numbered {
            for observer in observers { observer(event) }
        }
    }

    /// A client's subscription to the events its filter passes. With `lastEventID`, the
    /// kept events after it come first; an id older than those kept (or not one of this
    /// process's) starts the subscription with ``EventSubscription/Next/gap``.
    public func subscribe(_ filter: EventFilter, after lastEventID: UInt64? = nil) -> EventSubscription {
        let (subscription, observers) = state.withLock { state in
            let subscription = EventSubscription(filter: filter, limit: clientQueueLimit, bus: self)
            if let lastEventID {
                let kept = Self.kept(state)
                let oldest = kept.first?.sequence ?? state.nextSequence
                if lastEventID + 1 < oldest || lastEventID >= state.nextSequence || lastEventID < state.resumableAfter {
                    subscription.markGap()
                } else {
                    let missed = kept.filter { $0.sequence > lastEventID && filter.matches($0) }
                    if missed.count > clientQueueLimit {
                        subscription.markGap()
                    } else {
                        _ = subscription.offer(missed)
                    }
                }
            }
            state.subscribers[ObjectIdentifier(subscription)] = subscription
            return (subscription, state.subscriptionObservers)
        }
        for observer in observers { observer() }
        return subscription
    }

    func remove(_ subscription: EventSubscription) {
        state.withLock { state in
            if state.subscribers.removeValue(forKey: ObjectIdentifier(subscription)) != nil {
                state.watchedUntil = .now + retention
            }
        }
    }

    private static func keep(_ event: TaskEvent, in state: inout State, capacity: Int) {
        if state.recent.count < capacity {
            state.recent.append(event)
        } else {
            state.recent[state.recentStart] = event
            state.recentStart = (state.recentStart + 1) % capacity
        }
    }

    private static func kept(_ state: State) -> ArraySlice<TaskEvent> {
        guard state.recentStart > 0 else { return state.recent[...] }
        return ArraySlice(state.recent[state.recentStart...] + state.recent[..<state.recentStart])
    }
}
