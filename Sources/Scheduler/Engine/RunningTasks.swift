import Foundation
import Synchronization

/// The tasks this engine holds right now, each with a way to cancel its attempt: those
/// claimed ahead and waiting for a handler slot, those whose handler runs, and those
/// whose result is being written.
///
/// The lease keeper reads it to extend leases, the poller to size claims, and shutdown
/// to wait for it to empty. A task stays here until its result is written, so its lease
/// is kept while it waits for a slot and while the write waits. It is also the gate that
/// keeps at most `concurrency` handlers running: a task claimed ahead waits in
/// ``takeSlot(_:)`` until a handler returns, in the order the tasks were claimed.
final class RunningTasks: Sendable {
    private struct State {
        var cancellers: [UUID: @Sendable (StopReason) -> Void] = [:]
        /// The attempt each task holds its lease for.
        var attempts: [UUID: Int] = [:]
        /// Claimed, not started yet, in claim order.
        var waiting: [UUID] = []
        var slotWaiters: [UUID: CheckedContinuation<Bool, Never>] = [:]
        var writingResult: Set<UUID> = []
        /// When each running handler got its slot.
        var started: [UUID: ContinuousClock.Instant] = [:]
        /// A moving average of how long handlers ran; `nil` before the first returned.
        var typicalHandler: Duration?
        var emptyWaiters: [CheckedContinuation<Void, Never>] = []
        /// Set by ``stopWaiting()``: waits for the set to empty end at once from then on.
        var waitingAbandoned = false

        var executing: Int { cancellers.count - waiting.count - writingResult.count }
    }

    private let state = Mutex(State())
    /// The most handlers running at once.
    let concurrency: Int

    init(concurrency: Int) {
        self.concurrency = concurrency
    }

    var ids: [UUID] { state.withLock { Array($0.cancellers.keys) } }
    /// The tasks whose handler has not returned: running, or waiting for a slot.
    var activeIDs: Set<UUID> { state.withLock { Set($0.cancellers.keys).subtracting($0.writingResult) } }
    /// The tasks claimed ahead that wait for a slot, in claim order.
    var waitingIDs: [UUID] { state.withLock { $0.waiting } }
    /// A moving average of how long handlers ran (``ClaimAhead``); `nil` before the
    /// first returned.
    var typicalHandlerDuration: Duration? { state.withLock { $0.typicalHandler } }

    /// How many results may wait to be written beyond the handlers running: one result
    /// batch's worth (``ResultBatcher``), so a busy engine's commits each carry up to
    /// that many whatever its concurrency.
    static let resultBacklog = 500

    /// How many more tasks may be claimed: handlers running and tasks waiting for a slot
    /// stay within the concurrency plus `ahead` (tasks claimed ahead of a free slot), and
    /// results waiting to be written within ``resultBacklog`` more, so the next claim need
    /// not wait for the last batch's commit, yet a database that falls behind holds
    /// claims back.
    func freeSlots(ahead: Int = 0) -> Int {
        state.withLock { state in
            let unfinished = state.cancellers.count - state.writingResult.count
            let limit = concurrency + ahead
            return max(0, min(limit - unfinished, limit + Self.resultBacklog - state.cancellers.count))
        }
    }

    /// Every task held, with the attempt its lease is for: what the lease keeper renews.
    var attempts: [UUID: Int] { state.withLock { $0.attempts } }

    /// Registers a claimed task for `attempt`; one that `waitsForSlot` starts only
    /// through ``takeSlot(_:)``.
    func insert(_ id: UUID, attempt: Int = 1, waitsForSlot: Bool = false, cancel: @escaping @Sendable (StopReason) -> Void) {
        state.withLock { state in
            state.cancellers[id] = cancel
            state.attempts[id] = attempt
            if waitsForSlot { state.waiting.append(id) } else { state.started[id] = .now }
        }
    }

    /// Waits until the task may start: fewer than `concurrency` handlers run and every
    /// task claimed before it has started (at once for a task registered to start at
    /// once). `false` when it was cancelled while it waited (it must not run its handler).
    func takeSlot(_ id: UUID) async -> Bool {
        await withCheckedContinuation { continuation in
            let granted = state.withLock { state -> [CheckedContinuation<Bool, Never>]? in
                if state.started[id] != nil { return [continuation] }
                guard state.waiting.contains(id) else { return nil }
                state.slotWaiters[id] = continuation
                return Self.grant(&state, concurrency: concurrency)
            }
            guard let granted else { return continuation.resume(returning: false) }
            for waiter in granted { waiter.resume(returning: true) }
        }
    }

    /// Notes that the task's handler returned and its result is being written; its slot
    /// goes to the next waiting task.
    func handlerReturned(_ id: UUID) {
        let granted = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            guard state.cancellers[id] != nil else { return [] }
            state.writingResult.insert(id)
            if let started = state.started.removeValue(forKey: id) {
                state.typicalHandler = MovingAverage.next(state.typicalHandler, .now - started)
            }
            return Self.grant(&state, concurrency: concurrency)
        }
        for waiter in granted { waiter.resume(returning: true) }
    }

    func remove(_ id: UUID) {
        let (waiters, granted) = state.withLock { state -> ([CheckedContinuation<Void, Never>], [CheckedContinuation<Bool, Never>]) in
            state.cancellers[id] = nil
            state.attempts[id] = nil
            state.writingResult.remove(id)
            state.started[id] = nil
            state.waiting.removeAll { $0 == id }
            let granted = Self.grant(&state, concurrency: concurrency)
            guard state.cancellers.isEmpty else { return ([], granted) }
            defer { state.emptyWaiters = [] }
            return (state.emptyWaiters, granted)
        }
        for waiter in granted { waiter.resume(returning: true) }
        for waiter in waiters { waiter.resume() }
    }

    /// Stops the attempts of the given tasks held here, for `reason`; those waiting for
    /// a slot never get one.
    func cancel(_ ids: some Sequence<UUID>, reason: StopReason = .released) {
        let ids = Set(ids)
        stop(reason: reason) { _ in Array(ids) }
    }

    /// Takes every task still waiting for a slot out of the line, so it never starts, and
    /// cancels its attempt; returns their ids (at shutdown, to release them at once).
    func withdrawWaiting() -> [UUID] {
        stop(reason: .released) { state in state.waiting }
    }

    /// Cancels the attempts of the tasks `choose` picks, all under one lock: those
    /// waiting for a slot leave the line and are refused one. Returns the picked ids.
    @discardableResult
    private func stop(reason: StopReason, choosing choose: (State) -> [UUID]) -> [UUID] {
        let (ids, cancellers, refused) = state.withLock { state in
            let ids = choose(state)
            let chosen = Set(ids)
            state.waiting.removeAll { chosen.contains($0) }
            let refused = ids.compactMap { state.slotWaiters.removeValue(forKey: $0) }
            return (ids, ids.compactMap { state.cancellers[$0] }, refused)
        }
        for cancel in cancellers { cancel(reason) }
        for waiter in refused { waiter.resume(returning: false) }
        return ids
    }

    /// Returns once nothing is running, or after `timeout`.
    func waitUntilEmpty(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let emptyNow = self.state.withLock { state -> Bool in
                        if state.cancellers.isEmpty || state.waitingAbandoned { return true }
                        state.emptyWaiters.append(continuation)
                        return false
                    }
                    if emptyNow { continuation.resume() }
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
            self.wakeEmptyWaiters()
        }
    }

    /// Ends every wait for the set to empty, now and later: shutdown stops waiting for
    /// running handlers.
    func stopWaiting() {
        state.withLock { $0.waitingAbandoned = true }
        wakeEmptyWaiters()
    }

    private func wakeEmptyWaiters() {
        let waiters = state.withLock { state in
            defer { state.emptyWaiters = [] }
            return state.emptyWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Hands free slots to the waiting tasks in claim order, stopping at the first that
    /// has not asked yet; returns the waits to resume.
    private static func grant(_ state: inout State, concurrency: Int) -> [CheckedContinuation<Bool, Never>] {
        var granted: [CheckedContinuation<Bool, Never>] = []
        while state.executing < concurrency, let first = state.waiting.first,
            let waiter = state.slotWaiters.removeValue(forKey: first)
        {
            state.waiting.removeFirst()
            state.started[first] = .now
            granted.append(waiter)
        }
        return granted
    }
}
