import Foundation
import Synchronization
import Testing

@testable import Scheduler

@Suite("Running tasks", .timeLimit(.minutes(5)))
struct RunningTasksTests {
    @Test("a handler that returned frees its slot while its result waits to be written, up to one result batch's worth")
    func freeSlots() {
        let running = RunningTasks(concurrency: 4)
        let ids = (0..<4).map { _ in UUID() }
        for id in ids { running.insert(id) { _ in } }
        #expect(running.freeSlots() == 0)

        running.handlerReturned(ids[0])
        running.handlerReturned(ids[1])
        #expect(running.freeSlots() == 2)

        // 501 results wait to be written: four handlers could run, but concurrency plus
        // the backlog (504) leaves room for three more tasks, then one.
        let waiting = (0..<(RunningTasks.resultBacklog - 3)).map { _ in UUID() }
        for id in waiting {
            running.insert(id) { _ in }
            running.handlerReturned(id)
        }
        for id in ids[2...] { running.handlerReturned(id) }
        #expect(running.freeSlots() == 3)
        let more = (0..<2).map { _ in UUID() }
        for id in more { running.insert(id) { _ in } }
        #expect(running.freeSlots() == 1)

        for id in ids + waiting + more { running.remove(id) }
        #expect(running.freeSlots() == 4)
    }

    @Test("tasks claimed ahead count against the room they were claimed in, and take a slot in claim order as handlers return")
    func claimedAhead() async {
        let running = RunningTasks(concurrency: 2)
        let ids = (0..<4).map { _ in UUID() }
        for id in ids { running.insert(id, waitsForSlot: true) { _ in } }
        #expect(running.freeSlots(ahead: 2) == 0)
        #expect(running.freeSlots(ahead: 3) == 1)

        #expect(await running.takeSlot(ids[0]))
        #expect(await running.takeSlot(ids[1]))
        // Two handlers run: the other two wait, whether or not they asked yet.
        let third = Task { await running.takeSlot(ids[2]) }
        let fourth = Task { await running.takeSlot(ids[3]) }
        #expect(running.waitingIDs == [ids[2], ids[3]])
        #expect(running.activeIDs == Set(ids))

        running.handlerReturned(ids[0])
        #expect(await third.value)
        #expect(running.waitingIDs == [ids[3]])
        #expect(running.freeSlots(ahead: 2) == 1, "one handler returned: room for one more")

        running.remove(ids[1])
        #expect(await fourth.value)
        #expect(running.waitingIDs.isEmpty)
    }

    @Test("a task cancelled while it waits for a slot is refused one, and its canceller hears why")
    func cancelledWhileWaiting() async {
        let running = RunningTasks(concurrency: 1)
        let (first, second, third) = (UUID(), UUID(), UUID())
        let reasons = Mutex<[StopReason]>([])
        running.insert(first, waitsForSlot: true) { _ in }
        running.insert(second, waitsForSlot: true) { reason in reasons.withLock { $0.append(reason) } }
        running.insert(third, waitsForSlot: true) { _ in }
        #expect(await running.takeSlot(first))
        let waiting = Task { await running.takeSlot(second) }

        running.cancel([second], reason: .requested)
        #expect(await waiting.value == false)
        #expect(reasons.withLock { $0 } == [.requested])
        // Asked only now, after it was cancelled: refused at once.
        #expect(await running.takeSlot(second) == false)
        running.remove(second)

        running.handlerReturned(first)
        #expect(await running.takeSlot(third), "the slot goes to the next task in line")
    }

    @Test("an attempt cancelled before its handler starts (while it waited for a slot) never runs the handler")
    func cancelledBeforeStart() async {
        for reason in [StopReason.released, .requested] {
            let execution = HandlerExecution()
            execution.cancel(reason)
            let ran = Mutex(false)
            let outcome = await execution.run(timeout: .seconds(3600), deadlines: HandlerDeadlines()) {
                ran.withLock { $0 = true }
                return "{}"
            }
            #expect(ran.withLock { $0 } == false)
            switch (reason, outcome) {
            case (.released, .cancelled), (.requested, .cancelRequested): break
            default: Issue.record("\(reason) ended as \(outcome)")
            }
        }
    }

    @Test("at shutdown the tasks waiting for a slot are withdrawn, never started, and their attempts cancelled")
    func withdrawnAtShutdown() async {
        let running = RunningTasks(concurrency: 1)
        let ids = (0..<3).map { _ in UUID() }
        let cancelled = Mutex<Set<UUID>>([])
        for id in ids { running.insert(id, waitsForSlot: true) { _ in cancelled.withLock { _ = $0.insert(id) } } }
        #expect(await running.takeSlot(ids[0]))
        let waiting = Task { await running.takeSlot(ids[1]) }

        #expect(running.withdrawWaiting() == [ids[1], ids[2]])
        #expect(await waiting.value == false)
        #expect(await running.takeSlot(ids[2]) == false)
        #expect(cancelled.withLock { $0 } == [ids[1], ids[2]])
        running.handlerReturned(ids[0])
        #expect(running.waitingIDs.isEmpty)
    }

    @Test("claims run ahead one claim's worth (at most the concurrency) while handlers take no longer than a claim's round trip")
    func claimAhead() {
        var ahead = ClaimAhead(batchSize: 10, concurrency: 25)
        #expect(ahead.tasks(typicalHandler: .microseconds(50)) == 0, "before any claim was measured")
        ahead.claimTook(.milliseconds(1))
        #expect(ahead.tasks(typicalHandler: nil) == 0, "before any handler returned")
        #expect(ahead.tasks(typicalHandler: .microseconds(50)) == 10)
        #expect(ahead.tasks(typicalHandler: .seconds(3)) == 0, "slow handlers: nothing is claimed ahead of them")
        // Claims slow down (a busy database): handlers of 2 ms now count as fast.
        for _ in 0..<20 { ahead.claimTook(.milliseconds(5)) }
        #expect(ahead.tasks(typicalHandler: .milliseconds(2)) == 10)
        var small = ClaimAhead(batchSize: 100, concurrency: 4)
        small.claimTook(.milliseconds(1))
        #expect(small.tasks(typicalHandler: .zero) == 4)
    }

    @Test("the typical handler duration follows the handlers that returned, from when each got its slot")
    func typicalHandler() async {
        let running = RunningTasks(concurrency: 1)
        #expect(running.typicalHandlerDuration == nil)
        let (first, second) = (UUID(), UUID())
        running.insert(first, waitsForSlot: true) { _ in }
        running.insert(second, waitsForSlot: true) { _ in }
        #expect(await running.takeSlot(first))
        let waiting = Task { await running.takeSlot(second) }
        running.handlerReturned(first)
        #expect(running.typicalHandlerDuration != nil)
        #expect(await waiting.value)
        running.remove(first)
        #expect(running.typicalHandlerDuration != nil, "a removed task leaves the average as it was")
        #expect(MovingAverage.next(nil, .seconds(1)) == .seconds(1))
        #expect(MovingAverage.next(.seconds(1), .seconds(2)) == .milliseconds(1200))
    }
}
