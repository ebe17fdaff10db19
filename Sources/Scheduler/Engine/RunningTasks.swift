import Foundation
import Synchronization

/// The tasks this engine holds right now — claimed ahead and waiting for a handler slot,
/// running, or having their result written — kept as an ``EngineState`` under a lock,
/// with the waits and timers that state's actions call for.
///
/// The lease keeper reads it to extend leases, the poller to size claims, and shutdown
/// to wait for it to empty. A task stays here until its result is written, so its lease
/// is kept while it waits for a slot and while the write waits. One deadline timer on
/// the ``TimerQueue`` (not one per handler) stops handlers that overrun their timeout.
final class RunningTasks: Sendable {
    typealias Stop = @Sendable (StopReason) -> Void
    private typealias Waiter = CheckedContinuation<Bool, Never>

    private struct Shell {
        var state: EngineState<Stop, Waiter>
        var timer: TimerQueue.Token?
    }

    private let shell: Mutex<Shell>
    private let timers: TimerQueue

    init(concurrency: Int, batchSize: Int = 100, timers: TimerQueue = .shared) {
        self.timers = timers
        self.shell = Mutex(Shell(state: EngineState(concurrency: concurrency, batchSize: batchSize)))
    }

    var ids: [UUID] { shell.withLock { $0.state.ids } }
    /// The tasks whose handler has not returned: running, or waiting for a slot.
    var activeIDs: Set<UUID> { shell.withLock { $0.state.activeIDs } }
    /// The tasks claimed ahead that wait for a slot, in claim order.
    var waitingIDs: [UUID] { shell.withLock { $0.state.line } }
    /// Every task held, with the attempt its lease is for: what the lease keeper renews.
    var attempts: [UUID: Int] { shell.withLock { $0.state.attempts } }

    /// How many more tasks the next claim may take (``EngineState/room``).
    var room: Int { shell.withLock { $0.state.room } }

    /// Notes how long a claim took, from asking to having the rows (``ClaimAhead``).
    func claimTook(_ duration: Duration) {
        shell.withLock { $0.state.claimTook(duration) }
    }

    /// Registers a claimed task for `attempt`; one that `waitsForSlot` starts only through
    /// ``takeSlot(_:)``. `stop` ends its attempt; it is called `timeout` after the handler
    /// starts if it has not returned by then.
    func insert(
        _ id: UUID, attempt: Int = 1, timeout: Duration = .seconds(300), waitsForSlot: Bool = false,
        stop: @escaping Stop
    ) {
        update { $0.claimed(id, attempt: attempt, timeout: timeout, handle: stop, waitsForSlot: waitsForSlot, now: .now) }
    }

    /// Waits until the task may start: fewer than `concurrency` handlers run and every
    /// task claimed before it has started (at once for a task registered to start at
    /// once). `false` when it was stopped while it waited (it must not run its handler).
    func takeSlot(_ id: UUID) async -> Bool {
        await withCheckedContinuation { waiter in
            update { $0.asksForSlot(id, waiter: waiter, now: .now) }
        }
    }

    /// Notes that the task's handler returned with `record`, which goes to the database
    /// with the results that come meanwhile (group commit); its slot goes to the next
    /// waiting task. Returns once the result is written (or given up on), the task no
    /// longer held. `write` writes a batch; one runs at a time. `slotFreed` is called
    /// once the slot is given up, before the write.
    func handlerReturned(
        _ id: UUID, record: AttemptRecord, write: @escaping @Sendable ([AttemptRecord]) async -> Void,
        slotFreed: @Sendable () -> Void = {}
    ) async {
        _ = await withCheckedContinuation { done in
            let startWriting = update { $0.handlerReturned(id, record: record, done: done, now: .now) }
            slotFreed()
            guard startWriting else { return }
            // One writer at a time, started by the first result of a batch and ending
            // when none is queued; every attempt waits on its own continuation, so none
            // owns the writer.
            Task { await self.writeResults(with: write) }
        }
    }

    /// Writes queued results a batch at a time until none is left.
    private func writeResults(with write: @Sendable ([AttemptRecord]) async -> Void) async {
        while true {
            let batch = shell.withLock { $0.state.nextResults(maximum: EngineState<Stop, Waiter>.resultBacklog) }
            guard !batch.isEmpty else { return }
            await write(batch)
            update { $0.resultsWritten(now: .now) }
        }
    }

    /// Forgets a task whose attempt ended without a result (stopped).
    func remove(_ id: UUID) {
        update { $0.removed(id, now: .now) }
    }

    /// Stops the attempts of the given tasks held here, for `reason`; those waiting for
    /// a slot never get one.
    func cancel(_ ids: some Sequence<UUID>, reason: StopReason = .released) {
        update { $0.stop(ids, reason: reason) }
    }

    /// Takes every task still waiting for a slot out of the line, so it never starts, and
    /// stops its attempt; returns their ids (at shutdown, to release them at once).
    func withdrawWaiting() -> [UUID] {
        var withdrawn: [UUID] = []
        update { state in
            let (ids, actions) = state.withdrawWaiting()
            withdrawn = ids
            return actions
        }
        return withdrawn
    }

    /// Returns once nothing is held, or after `timeout`.
    func waitUntilEmpty(timeout: Duration) async {
        let deadline = timers.add(deadline: .now + timeout) { [self] in update { $0.endEmptyWaits(forGood: false) } }
        defer { timers.remove(deadline) }
        _ = await withCheckedContinuation { waiter in update { $0.waitsUntilEmpty(waiter) } }
    }

    /// Ends every wait for the set to empty, now and later: shutdown stops waiting for
    /// running handlers.
    func stopWaiting() {
        update { $0.endEmptyWaits(forGood: true) }
    }

    /// Applies an event to the state and carries out its actions outside the lock;
    /// returns whether they include starting the result writer.
    @discardableResult
    private func update(_ event: (inout EngineState<Stop, Waiter>) -> EngineState<Stop, Waiter>.Actions) -> Bool {
        let actions = shell.withLock { shell in
            let actions = event(&shell.state)
            if let at = actions.timer {
                if let old = shell.timer { timers.remove(old) }
                shell.timer = timers.add(deadline: at) { [self] in update { $0.deadlinesPassed(now: .now) } }
            }
            return actions
        }
        for (stop, reason) in actions.stop { stop(reason) }
        for waiter in actions.refuse { waiter.resume(returning: false) }
        for waiter in actions.proceed { waiter.resume(returning: true) }
        return actions.startWriting
    }
}
