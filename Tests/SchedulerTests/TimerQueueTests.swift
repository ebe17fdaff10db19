import Synchronization
import Testing

@testable import Scheduler

@Suite("Timer queue", .timeLimit(.minutes(5)))
struct TimerQueueTests {
    @Test("the schedule hands out what is due at an instant, once, and knows the next deadline")
    func schedule() {
        let t0 = ContinuousClock.now
        var schedule = TimerSchedule<String>()
        _ = schedule.add(t0 + .seconds(10), "ten")
        let removed = schedule.add(t0 + .seconds(1), "removed")
        _ = schedule.add(t0 + .seconds(5), "five")
        schedule.remove(removed)
        #expect(schedule.earliest == t0 + .seconds(5))
        #expect(schedule.takeDue(at: t0 + .seconds(6)) == ["five"])
        #expect(schedule.takeDue(at: t0 + .seconds(6)).isEmpty)
        #expect(schedule.earliest == t0 + .seconds(10))
        #expect(schedule.count == 1)
    }

    @Test("an earlier deadline added after a later one fires first, and the later one stays pending")
    func earlierDeadlineReplacesTheSleeper() async {
        let timers = TimerQueue()
        let (fired, firing) = AsyncStream<String>.makeStream()
        timers.add(deadline: .now + .seconds(3600)) { firing.yield("in an hour") }
        timers.add(deadline: .now) { firing.yield("now") }
        var iterator = fired.makeAsyncIterator()
        #expect(await iterator.next() == "now")
        #expect(timers.pendingCount == 1)
    }

    @Test("a removed deadline never fires; the ones after it still do")
    func removedDeadline() async {
        let timers = TimerQueue()
        let (fired, firing) = AsyncStream<String>.makeStream()
        let removed = timers.add(deadline: .now + .milliseconds(200)) { firing.yield("removed") }
        timers.add(deadline: .now + .milliseconds(300)) { firing.yield("kept") }
        timers.remove(removed)
        var iterator = fired.makeAsyncIterator()
        #expect(await iterator.next() == "kept")
        #expect(timers.pendingCount == 0)
    }
}
