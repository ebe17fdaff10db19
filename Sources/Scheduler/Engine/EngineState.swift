import Foundation

/// The engine's moving parts as one state machine: the tasks it holds and what each is
/// doing, the handler slots and the line of tasks claimed ahead for them, how many to
/// claim next, the handlers' deadlines, and when to start writing results.
///
/// Every change is an event — claimed, asks for a slot, handler returned, results
/// written, stop, deadlines passed — that updates the state and returns the
/// ``EngineActions`` it calls for, so the invariants live here: at most `concurrency`
/// handlers run; slots go to waiting tasks in claim order; a stopped task never gets
/// one; one writer at a time; a task stays held (its lease kept) until its result is
/// written. It knows nothing of continuations, locks or clocks: ``RunningTasks`` keeps it
/// under a lock with `Handle` a way to stop an attempt and `Waiter` a continuation, tests
/// drive it with plain values and instants of their choosing.
struct EngineState<Handle, Waiter> {
    typealias Actions = EngineActions<Handle, Waiter>

    private enum Stage {
        /// Claimed ahead of a free slot; `asked` holds its attempt's wait for one.
        case waiting(asked: Waiter?)
        /// Its handler runs; `deadline` is `nil` once passed.
        case executing(since: ContinuousClock.Instant, deadline: ContinuousClock.Instant?)
        /// Its handler returned; its result is queued or being written.
        case writing
        /// Stopped while it waited for a slot: it will never get one.
        case withdrawn
    }

    private struct Entry {
        let attempt: Int
        let timeout: Duration
        let handle: Handle
        var stage: Stage
    }

    /// How many results may wait to be written beyond the handlers running: one result
    /// batch's worth, so a busy engine's commits each carry up to that many whatever its
    /// concurrency.
    static var resultBacklog: Int { 500 }

    /// The most handlers running at once.
    let concurrency: Int
    private var entries: [UUID: Entry] = [:]
    /// The tasks waiting for a slot, in claim order.
    private(set) var line: [UUID] = []
    private var executing = 0
    private var writing = 0
    /// Results waiting for the writer, with the waits of their attempts.
    private var queuedResults: [(record: AttemptRecord, done: Waiter)] = []
    /// The batch the writer is writing.
    private var batchInFlight: [(record: AttemptRecord, done: Waiter)] = []
    private var writerActive = false
    /// When the deadline timer fires, if it is set.
    private var timerAt: ContinuousClock.Instant?
    private var emptyWaiters: [Waiter] = []
    private var emptyWaitsEnded = false
    /// A moving average of how long handlers ran; `nil` before the first returned.
    private(set) var typicalHandler: Duration?
    private var ahead: ClaimAhead

    init(concurrency: Int, batchSize: Int) {
        self.concurrency = concurrency
        self.ahead = ClaimAhead(batchSize: batchSize, concurrency: concurrency)
    }

    // MARK: What it holds

    /// Every task held.
    var ids: [UUID] { Array(entries.keys) }

    /// The tasks whose handler has not returned: running, or waiting for a slot.
    var activeIDs: Set<UUID> {
        Set(entries.lazy.filter { if case .writing = $0.value.stage { false } else { true } }.map(\.key))
    }

    /// Every task held, with the attempt its lease is for: what the lease keeper renews.
    var attempts: [UUID: Int] { entries.mapValues(\.attempt) }

    /// How many more tasks the next claim may take: handlers running and tasks waiting
    /// for a slot stay within the concurrency plus the tasks claimed ahead
    /// (``ClaimAhead``), and results waiting to be written within ``resultBacklog`` more,
    /// so the next claim need not wait for the last batch's commit, yet a database that
    /// falls behind holds claims back.
    var room: Int { freeSlots(ahead: ahead.tasks(typicalHandler: typicalHandler)) }

    /// ``room`` with `ahead` tasks claimed ahead of the free slots.
    func freeSlots(ahead: Int) -> Int {
        let unfinished = entries.count - writing
        let limit = concurrency + ahead
        return max(0, min(limit - unfinished, limit + Self.resultBacklog - entries.count))
    }

    // MARK: Events

    /// A claim took `duration` from asking to having the rows.
    mutating func claimTook(_ duration: Duration) {
        ahead.claimTook(duration)
    }

    /// A task was claimed for `attempt`; it runs at once unless it `waitsForSlot`, and its
    /// handler is stopped `timeout` after it starts.
    mutating func claimed(
        _ id: UUID, attempt: Int, timeout: Duration, handle: Handle, waitsForSlot: Bool, now: ContinuousClock.Instant
    ) -> Actions {
        var actions = Actions()
        entries[id] = Entry(attempt: attempt, timeout: timeout, handle: handle, stage: .waiting(asked: nil))
        if waitsForSlot { line.append(id) } else { start(id, now: now, actions: &actions) }
        return actions
    }

    /// The task's attempt waits for a slot: `waiter` proceeds once fewer than
    /// `concurrency` handlers run and every task claimed before it has started (at once
    /// for one that started at its claim), and is refused if the task was stopped.
    mutating func asksForSlot(_ id: UUID, waiter: Waiter, now: ContinuousClock.Instant) -> Actions {
        var actions = Actions()
        switch entries[id]?.stage {
        case .executing:
            actions.proceed.append(waiter)
        case .waiting(asked: nil):
            entries[id]?.stage = .waiting(asked: waiter)
            grantSlots(now: now, actions: &actions)
        case .waiting, .writing, .withdrawn, nil:
            actions.refuse.append(waiter)
        }
        return actions
    }

    /// The task's handler returned with `record`: its slot goes to the next task in line
    /// and the result is queued for the writer; `done` proceeds once it is written.
    mutating func handlerReturned(
        _ id: UUID, record: AttemptRecord, done: Waiter, now: ContinuousClock.Instant
    ) -> Actions {
        var actions = Actions()
        if let entry = entries[id] {
            if case .executing(let since, _) = entry.stage {
                typicalHandler = MovingAverage.next(typicalHandler, now - since)
            }
            leaveStage(entry.stage, of: id)
            entries[id]?.stage = .writing
            writing += 1
        }
        queuedResults.append((record, done))
        if !writerActive {
            writerActive = true
            actions.startWriting = true
        }
        grantSlots(now: now, actions: &actions)
        return actions
    }

    /// The writer asks for the next batch of at most `maximum` results: empty (and the
    /// writer stops) when none is queued.
    mutating func nextResults(maximum: Int) -> [AttemptRecord] {
        batchInFlight = Array(queuedResults.prefix(maximum))
        queuedResults.removeFirst(batchInFlight.count)
        if batchInFlight.isEmpty { writerActive = false }
        return batchInFlight.map(\.record)
    }

    /// The writer wrote (or gave up on) the batch it took last: its tasks are no longer
    /// held and their attempts proceed.
    mutating func resultsWritten(now: ContinuousClock.Instant) -> Actions {
        var actions = Actions()
        for (record, done) in batchInFlight {
            actions.proceed.append(done)
            forget(record.task.id)
        }
        batchInFlight = []
        grantSlots(now: now, actions: &actions)
        endEmptyWaitsIfEmpty(&actions)
        return actions
    }

    /// The task's attempt ended without a result to write (stopped): it is no longer held.
    mutating func removed(_ id: UUID, now: ContinuousClock.Instant) -> Actions {
        var actions = Actions()
        if case .waiting(let asked?) = entries[id]?.stage { actions.refuse.append(asked) }
        forget(id)
        grantSlots(now: now, actions: &actions)
        endEmptyWaitsIfEmpty(&actions)
        return actions
    }

    /// Stops the attempts of the given tasks for `reason`; those waiting for a slot leave
    /// the line and are refused one.
    mutating func stop(_ ids: some Sequence<UUID>, reason: StopReason) -> Actions {
        var actions = Actions()
        for id in ids {
            guard let entry = entries[id] else { continue }
            actions.stop.append((entry.handle, reason))
            if case .waiting(let asked) = entry.stage {
                leaveStage(entry.stage, of: id)
                entries[id]?.stage = .withdrawn
                if let asked { actions.refuse.append(asked) }
            }
        }
        return actions
    }

    /// Stops every task still waiting for a slot (at shutdown, to release them at once);
    /// returns their ids in claim order.
    mutating func withdrawWaiting() -> (ids: [UUID], actions: Actions) {
        let ids = line
        return (ids, stop(ids, reason: .released))
    }

    /// The deadline timer fired at `now`: handlers past their deadline are stopped, and
    /// the timer is set for the next deadline.
    mutating func deadlinesPassed(now: ContinuousClock.Instant) -> Actions {
        var actions = Actions()
        var next: ContinuousClock.Instant?
        for (id, entry) in entries {
            guard case .executing(let since, let deadline?) = entry.stage else { continue }
            if deadline <= now {
                actions.stop.append((entry.handle, .timedOut(entry.timeout)))
                entries[id]?.stage = .executing(since: since, deadline: nil)
            } else if next.map({ deadline < $0 }) ?? true {
                next = deadline
            }
        }
        timerAt = next
        actions.timer = next
        return actions
    }

    /// `waiter` proceeds once no task is held (at once if none is, or if the waits were
    /// ended for good).
    mutating func waitsUntilEmpty(_ waiter: Waiter) -> Actions {
        var actions = Actions()
        if entries.isEmpty || emptyWaitsEnded { actions.proceed.append(waiter) } else { emptyWaiters.append(waiter) }
        return actions
    }

    /// Ends the waits for the engine to empty; `forGood` ends the later ones at once too
    /// (shutdown stops waiting for running handlers).
    mutating func endEmptyWaits(forGood: Bool) -> Actions {
        if forGood { emptyWaitsEnded = true }
        defer { emptyWaiters = [] }
        return Actions(proceed: emptyWaiters)
    }

    // MARK: Rules

    /// Hands free slots to the waiting tasks in claim order, stopping at the first whose
    /// attempt has not asked yet.
    private mutating func grantSlots(now: ContinuousClock.Instant, actions: inout Actions) {
        while executing < concurrency, let first = line.first, case .waiting(let waiter?) = entries[first]?.stage {
            line.removeFirst()
            start(first, now: now, actions: &actions)
            actions.proceed.append(waiter)
        }
    }

    /// Moves a task not in the line (taken out, or never put in) to `executing` with its
    /// deadline, setting the timer if that is the earliest.
    private mutating func start(_ id: UUID, now: ContinuousClock.Instant, actions: inout Actions) {
        guard let entry = entries[id] else { return }
        let deadline = now + entry.timeout
        entries[id]?.stage = .executing(since: now, deadline: deadline)
        executing += 1
        if timerAt.map({ deadline < $0 }) ?? true {
            timerAt = deadline
            actions.timer = deadline
        }
    }

    /// Takes a task out of the counts and the line of the stage it leaves.
    private mutating func leaveStage(_ stage: Stage, of id: UUID) {
        switch stage {
        case .waiting: line.removeAll { $0 == id }
        case .executing: executing -= 1
        case .writing: writing -= 1
        case .withdrawn: break
        }
    }

    private mutating func forget(_ id: UUID) {
        guard let entry = entries.removeValue(forKey: id) else { return }
        leaveStage(entry.stage, of: id)
    }

    private mutating func endEmptyWaitsIfEmpty(_ actions: inout Actions) {
        guard entries.isEmpty else { return }
        actions.proceed += emptyWaiters
        emptyWaiters = []
    }
}
