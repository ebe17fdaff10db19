import Foundation
import Synchronization

/// The tasks this engine is running right now, each with a way to cancel its attempt.
///
/// The lease keeper reads it to extend leases, the poller to size claims, and shutdown
/// to wait for it to empty. A task stays here until its result is written, so its lease
/// is kept while the write waits; ``executingIDs`` leaves out those whose handler has
/// already returned.
final class RunningTasks: Sendable {
    private struct State {
        var cancellers: [UUID: @Sendable (StopReason) -> Void] = [:]
        var writingResult: Set<UUID> = []
        var emptyWaiters: [CheckedContinuation<Void, Never>] = []
        /// Set by ``stopWaiting()``: waits for the set to empty end at once from then on.
        var waitingAbandoned = false
    }

    private let state = Mutex(State())

    var ids: [UUID] { state.withLock { Array($0.cancellers.keys) } }
    /// The tasks whose handler is still running.
    var executingIDs: Set<UUID> { state.withLock { Set($0.cancellers.keys).subtracting($0.writingResult) } }

    /// How many results may wait to be written beyond the handlers running: one result
    /// batch's worth (``ResultBatcher``), so a busy engine's commits each carry up to
    /// that many whatever its concurrency.
    static let resultBacklog = 500

    /// How many more attempts may start under `concurrency`: handlers still running stay
    /// within it, and results waiting to be written within ``resultBacklog`` more, so the
    /// next claim need not wait for the last batch's commit, yet a database that falls
    /// behind holds claims back.
    func freeSlots(concurrency: Int) -> Int {
        state.withLock { state in
            let executing = state.cancellers.count - state.writingResult.count
            return max(0, min(concurrency - executing, concurrency + Self.resultBacklog - state.cancellers.count))
        }
    }

    func insert(_ id: UUID, cancel: @escaping @Sendable (StopReason) -> Void) {
        state.withLock { $0.cancellers[id] = cancel }
    }

    /// Notes that the task's handler returned and its result is being written.
    func handlerReturned(_ id: UUID) {
        state.withLock { state in
            if state.cancellers[id] != nil { state.writingResult.insert(id) }
        }
    }

    func remove(_ id: UUID) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.cancellers[id] = nil
            state.writingResult.remove(id)
            guard state.cancellers.isEmpty else { return [] }
            defer { state.emptyWaiters = [] }
            return state.emptyWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Stops the attempts of the given tasks that run here, for `reason`.
    func cancel(_ ids: some Sequence<UUID>, reason: StopReason = .released) {
        let cancellers = state.withLock { state in ids.compactMap { state.cancellers[$0] } }
        for cancel in cancellers { cancel(reason) }
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
}
