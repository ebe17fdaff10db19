import Foundation
import Synchronization
import Testing

@testable import Scheduler

/// ``RunningTasks`` carrying out its state's actions with real continuations and the
/// timer queue; the rules themselves are ``EngineStateTests``'.
@Suite("Running tasks", .timeLimit(.minutes(5)))
struct RunningTasksTests {
    @Test("a waiting attempt starts when a handler returns; the returned one proceeds once its batch is written")
    func slotsAndResults() async {
        let running = RunningTasks(concurrency: 1)
        let (first, second) = (UUID(), UUID())
        running.insert(first, waitsForSlot: true) { _ in }
        running.insert(second, waitsForSlot: true) { _ in }
        #expect(await running.takeSlot(first))
        let waiting = Task { await running.takeSlot(second) }
        let written = Mutex<[[UUID]]>([])
        await running.handlerReturned(first, record: EngineStateTests().record(first)) { batch in
            written.withLock { $0.append(batch.map(\.task.id)) }
        }
        #expect(written.withLock { $0 } == [[first]])
        #expect(await waiting.value)
        #expect(running.ids == [second])
    }

    @Test("a handler that overruns its timeout is stopped as timed out by the deadline timer")
    func deadline() async {
        let running = RunningTasks(concurrency: 1)
        let (stream, stopped) = AsyncStream<StopReason>.makeStream()
        running.insert(UUID(), timeout: .milliseconds(20)) { reason in stopped.yield(reason) }
        var reasons = stream.makeAsyncIterator()
        guard case .timedOut(let limit) = await reasons.next() else { return #expect(Bool(false)) }
        #expect(limit == .milliseconds(20))
    }

    @Test("an attempt cancelled before its handler starts (while it waited for a slot) never runs the handler")
    func cancelledBeforeStart() async {
        for reason in [StopReason.released, .requested, .timedOut(.seconds(1))] {
            let execution = HandlerExecution()
            execution.cancel(reason)
            let ran = Mutex(false)
            let outcome = await execution.run {
                ran.withLock { $0 = true }
                return "{}"
            }
            #expect(ran.withLock { $0 } == false)
            switch (reason, outcome) {
            case (.released, .cancelled), (.requested, .cancelRequested), (.timedOut, .timedOut): break
            default: Issue.record("\(reason) ended as \(outcome)")
            }
        }
    }

    @Test("a wait for the set to empty ends at its timeout while a task is still held")
    func emptyWaitTimesOut() async {
        let running = RunningTasks(concurrency: 1)
        running.insert(UUID()) { _ in }
        await running.waitUntilEmpty(timeout: .milliseconds(10))
        #expect(running.ids.count == 1)
    }
}
