import Foundation
import Testing

@testable import Scheduler

/// The engine's bookkeeping as a state machine, driven with names for attempts and waits
/// and instants of the test's choosing: no tasks, locks or sleeps.
@Suite("Engine state", .timeLimit(.minutes(1)))
struct EngineStateTests {
    typealias State = EngineState<String, String>
    let t0 = ContinuousClock.now
    let minute = Duration.seconds(60)

    func record(_ id: UUID) -> AttemptRecord {
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        let task = AgentTask(
            id: id, taskType: "noop", agentType: "test", scheduledFor: at, priority: .medium, status: .processing,
            retryCount: 0, maxRetries: 3, createdAt: at, contextJSON: "{}", updatedAt: at, attempts: 0)
        return AttemptRecord(task: task, workerID: "w", startedAt: at, finishedAt: at, outcome: .completed(resultJSON: "{}"))
    }

    /// Claims `count` tasks that wait for a slot; returns their ids in claim order.
    func claimWaiting(_ count: Int, in state: inout State) -> [UUID] {
        (0..<count).map { index in
            let id = UUID()
            _ = state.claimed(id, attempt: 1, timeout: minute, handle: "stop \(index)", waitsForSlot: true, now: t0)
            return id
        }
    }

    @Test("a handler that returned frees its slot while its result waits to be written, up to one result batch's worth")
    func roomWithResultsWaiting() {
        var state = State(concurrency: 4, batchSize: 100)
        let ids = (0..<4).map { _ in UUID() }
        for id in ids { _ = state.claimed(id, attempt: 1, timeout: minute, handle: "", waitsForSlot: false, now: t0) }
        #expect(state.room == 0)
        for id in ids[..<2] { _ = state.handlerReturned(id, record: record(id), done: "", now: t0) }
        #expect(state.room == 2)

        // 501 results wait to be written: four handlers could run, but concurrency plus
        // the backlog (504) leaves room for three more tasks, then one.
        for _ in 0..<(State.resultBacklog - 3) {
            let id = UUID()
            _ = state.claimed(id, attempt: 1, timeout: minute, handle: "", waitsForSlot: false, now: t0)
            _ = state.handlerReturned(id, record: record(id), done: "", now: t0)
        }
        for id in ids[2...] { _ = state.handlerReturned(id, record: record(id), done: "", now: t0) }
        #expect(state.room == 3)
        for _ in 0..<2 { _ = state.claimed(UUID(), attempt: 1, timeout: minute, handle: "", waitsForSlot: false, now: t0) }
        #expect(state.room == 1)
    }

    @Test("slots go to the waiting tasks in claim order, only to those that asked, never beyond the concurrency")
    func slotsInClaimOrder() {
        var state = State(concurrency: 2, batchSize: 100)
        let ids = claimWaiting(4, in: &state)
        #expect(state.freeSlots(ahead: 2) == 0)
        #expect(state.freeSlots(ahead: 3) == 1)

        // The second asks first: it waits, since the first in line has not asked.
        #expect(state.asksForSlot(ids[1], waiter: "second", now: t0).proceed.isEmpty)
        #expect(state.asksForSlot(ids[0], waiter: "first", now: t0).proceed == ["first", "second"])
        #expect(state.asksForSlot(ids[3], waiter: "fourth", now: t0).proceed.isEmpty)
        #expect(state.asksForSlot(ids[2], waiter: "third", now: t0).proceed.isEmpty, "two handlers run")
        #expect(state.line == [ids[2], ids[3]])
        #expect(state.activeIDs == Set(ids))

        let returned = state.handlerReturned(ids[0], record: record(ids[0]), done: "first written", now: t0)
        #expect(returned.proceed == ["third"])
        #expect(returned.startWriting)
        #expect(state.activeIDs == Set(ids[1...]))

        #expect(state.removed(ids[1], now: t0).proceed == ["fourth"])
        #expect(state.line.isEmpty)
    }

    @Test("a task stopped while it waits for a slot is refused one, its attempt hears why, and the slot goes to the next in line")
    func stoppedWhileWaiting() {
        var state = State(concurrency: 1, batchSize: 100)
        let ids = claimWaiting(3, in: &state)
        #expect(state.asksForSlot(ids[0], waiter: "first", now: t0).proceed == ["first"])
        #expect(state.asksForSlot(ids[1], waiter: "second", now: t0).proceed.isEmpty)

        let stopped = state.stop([ids[1]], reason: .requested)
        #expect(stopped.refuse == ["second"])
        #expect(stopped.stop.map(\.handle) == ["stop 1"])
        guard case .requested = stopped.stop.first?.reason else { return #expect(Bool(false)) }
        #expect(state.asksForSlot(ids[1], waiter: "second again", now: t0).refuse == ["second again"])

        #expect(state.asksForSlot(ids[2], waiter: "third", now: t0).proceed.isEmpty)
        #expect(state.handlerReturned(ids[0], record: record(ids[0]), done: "", now: t0).proceed == ["third"])
    }

    @Test("at shutdown the tasks waiting for a slot are withdrawn in claim order and never start")
    func withdrawnAtShutdown() {
        var state = State(concurrency: 1, batchSize: 100)
        let ids = claimWaiting(3, in: &state)
        _ = state.asksForSlot(ids[0], waiter: "first", now: t0)
        _ = state.asksForSlot(ids[1], waiter: "second", now: t0)
        let (withdrawn, actions) = state.withdrawWaiting()
        #expect(withdrawn == [ids[1], ids[2]])
        #expect(actions.refuse == ["second"])
        #expect(actions.stop.map(\.handle) == ["stop 1", "stop 2"])
        #expect(state.handlerReturned(ids[0], record: record(ids[0]), done: "", now: t0).proceed.isEmpty)
        #expect(state.asksForSlot(ids[2], waiter: "third", now: t0).refuse == ["third"])
    }

    @Test("one writer at a time: results that come while a batch is written go together in the next one")
    func groupCommit() {
        var state = State(concurrency: 10, batchSize: 100)
        let ids = (0..<3).map { _ in UUID() }
        for id in ids { _ = state.claimed(id, attempt: 1, timeout: minute, handle: "", waitsForSlot: false, now: t0) }
        #expect(state.handlerReturned(ids[0], record: record(ids[0]), done: "a", now: t0).startWriting)
        #expect(state.nextResults(maximum: 500).map(\.task.id) == [ids[0]])
        #expect(!state.handlerReturned(ids[1], record: record(ids[1]), done: "b", now: t0).startWriting)
        #expect(!state.handlerReturned(ids[2], record: record(ids[2]), done: "c", now: t0).startWriting)
        #expect(state.attempts.count == 3, "held until written: their leases are kept")

        #expect(state.resultsWritten(now: t0).proceed == ["a"])
        #expect(state.nextResults(maximum: 500).map(\.task.id) == [ids[1], ids[2]])
        #expect(state.resultsWritten(now: t0).proceed == ["b", "c"])
        #expect(state.nextResults(maximum: 500).isEmpty, "the writer stops")
        #expect(state.ids.isEmpty)
        let id = UUID()
        _ = state.claimed(id, attempt: 1, timeout: minute, handle: "", waitsForSlot: false, now: t0)
        #expect(state.handlerReturned(id, record: record(id), done: "d", now: t0).startWriting, "the next result starts one again")
    }

    @Test("a handler past its deadline is stopped as timed out once; the timer moves to the next deadline, earlier ones first")
    func deadlines() {
        var state = State(concurrency: 3, batchSize: 100)
        let (slow, quick, late) = (UUID(), UUID(), UUID())
        let first = state.claimed(slow, attempt: 1, timeout: .seconds(60), handle: "slow", waitsForSlot: false, now: t0)
        #expect(first.timer == t0 + .seconds(60))
        let earlier = state.claimed(quick, attempt: 1, timeout: .seconds(5), handle: "quick", waitsForSlot: false, now: t0)
        #expect(earlier.timer == t0 + .seconds(5), "an earlier deadline moves the timer")
        #expect(state.claimed(late, attempt: 1, timeout: .seconds(90), handle: "late", waitsForSlot: false, now: t0).timer == nil)

        let fired = state.deadlinesPassed(now: t0 + .seconds(5))
        #expect(fired.stop.map(\.handle) == ["quick"])
        guard case .timedOut(let limit) = fired.stop.first?.reason else { return #expect(Bool(false)) }
        #expect(limit == .seconds(5))
        #expect(fired.timer == t0 + .seconds(60))
        #expect(state.deadlinesPassed(now: t0 + .seconds(6)).stop.isEmpty, "stopped once")

        _ = state.handlerReturned(slow, record: record(slow), done: "", now: t0 + .seconds(10))
        let next = state.deadlinesPassed(now: t0 + .seconds(60))
        #expect(next.stop.isEmpty, "a handler that returned has no deadline")
        #expect(next.timer == t0 + .seconds(90))
    }

    @Test("a wait for the engine to empty ends when the last task is written or removed, or when the waits end")
    func emptyWaits() {
        var state = State(concurrency: 2, batchSize: 100)
        #expect(state.waitsUntilEmpty("idle").proceed == ["idle"])
        let (written, removed) = (UUID(), UUID())
        for id in [written, removed] {
            _ = state.claimed(id, attempt: 1, timeout: minute, handle: "", waitsForSlot: false, now: t0)
        }
        #expect(state.waitsUntilEmpty("drain").proceed.isEmpty)
        _ = state.handlerReturned(written, record: record(written), done: "w", now: t0)
        _ = state.nextResults(maximum: 500)
        #expect(state.resultsWritten(now: t0).proceed == ["w"])
        #expect(state.removed(removed, now: t0).proceed == ["drain"])

        _ = state.claimed(UUID(), attempt: 1, timeout: minute, handle: "", waitsForSlot: false, now: t0)
        #expect(state.waitsUntilEmpty("timed out").proceed.isEmpty)
        #expect(state.endEmptyWaits(forGood: false).proceed == ["timed out"])
        #expect(state.waitsUntilEmpty("again").proceed.isEmpty)
        #expect(state.endEmptyWaits(forGood: true).proceed == ["again"])
        #expect(state.waitsUntilEmpty("after").proceed == ["after"], "once ended for good, later waits end at once")
    }

    @Test("claims run ahead of free slots once handlers are measured no slower than a claim's round trip")
    func claimAhead() {
        var state = State(concurrency: 4, batchSize: 100)
        let ids = claimWaiting(2, in: &state)
        #expect(state.room == 2)
        state.claimTook(.seconds(1))
        _ = state.asksForSlot(ids[0], waiter: "", now: t0)
        _ = state.handlerReturned(ids[0], record: record(ids[0]), done: "", now: t0 + .milliseconds(1))
        #expect(state.typicalHandler == .milliseconds(1))
        #expect(state.room == 7, "one running, four more ahead")
    }
}
