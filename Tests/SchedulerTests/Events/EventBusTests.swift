import Foundation
import Synchronization
import Testing

@testable import Scheduler

/// The bus's promises without a database: ids, filters, resuming, and dropping a client
/// that cannot keep up.
@Suite("Event bus", .timeLimit(.minutes(5)))
struct EventBusTests {
    func event(_ kind: TaskEvent.Kind = .created, task: UUID = UUID(), type: String = "noop", user: UUID? = nil) -> TaskEvent {
        TaskEvent(
            kind: kind, taskID: task, taskType: type, userID: user, status: .pending, attempt: nil, workerID: nil,
            details: nil)
    }

    @Test("ids increase by one per event, across publishes")
    func sequence() async {
        let bus = TaskEventBus()
        let subscription = bus.subscribe(EventFilter())
        bus.publish([event(), event()])
        bus.publish([event()])
        guard case .events(let events) = await subscription.next(timeout: .seconds(5)) else {
            Issue.record("no events")
            return
        }
        #expect(events.map(\.sequence) == [1, 2, 3])
        #expect(bus.latestSequence == 3)
    }

    @Test("an event about a task still being created follows its task.created; others are not held back")
    func creationOrder() async {
        let bus = TaskEventBus()
        let subscription = bus.subscribe(EventFilter())
        let new = UUID()
        let other = UUID()
        let ticket = bus.beginCreating([new])
        // The engine, woken by the insert's NOTIFY, claims the task before its creator publishes.
        bus.publish([event(.started, task: new), event(.completed, task: other)])
        bus.finishCreating(ticket, publishing: [event(.created, task: new)])
        let failed = bus.beginCreating([UUID()])
        bus.finishCreating(failed, publishing: [])
        guard case .events(let events) = await subscription.next(timeout: .seconds(5)) else {
            Issue.record("no events")
            return
        }
        #expect(events.map(\.kind) == [.completed, .created, .started])
        #expect(events.map(\.taskID) == [other, new, new])
        #expect(events.map(\.sequence) == [1, 2, 3], "ids follow the order the events are published in")
    }

    @Test("a filter passes only its task, type, user and kinds")
    func filters() {
        let task = UUID()
        let user = UUID()
        let matching = event(.completed, task: task, type: "greet", user: user)
        let filter = EventFilter(taskID: task, taskType: "greet", userID: user, kinds: [.completed, .failed])
        #expect(filter.matches(matching))
        #expect(!filter.matches(event(.completed, task: UUID(), type: "greet", user: user)))
        #expect(!filter.matches(event(.completed, task: task, type: "noop", user: user)))
        #expect(!filter.matches(event(.completed, task: task, type: "greet", user: UUID())))
        #expect(!filter.matches(event(.started, task: task, type: "greet", user: user)))
        #expect(EventFilter().matches(matching))
    }

    @Test("a resumed subscription gets the kept events after its id, filtered")
    func resume() async {
        let bus = TaskEventBus()
        let watcher = bus.subscribe(EventFilter())
        defer { watcher.cancel() }
        bus.publish([event(type: "a"), event(type: "b"), event(type: "a"), event(type: "a")])
        let subscription = bus.subscribe(EventFilter(taskType: "a"), after: 1)
        guard case .events(let events) = await subscription.next(timeout: .seconds(5)) else {
            Issue.record("no replay")
            return
        }
        #expect(events.map(\.sequence) == [3, 4])
    }

    @Test("an id older than the kept events, or newer than any, starts with a gap")
    func gap() async {
        let bus = TaskEventBus(capacity: 3)
        let watcher = bus.subscribe(EventFilter())
        defer { watcher.cancel() }
        bus.publish((1...5).map { _ in event() })
        for id: UInt64 in [0, 1, 99] {
            let subscription = bus.subscribe(EventFilter(), after: id)
            guard case .gap = await subscription.next(timeout: .seconds(5)) else {
                Issue.record("no gap for \(id)")
                continue
            }
        }
        let kept = bus.subscribe(EventFilter(), after: 2)
        guard case .events(let events) = await kept.next(timeout: .seconds(5)) else {
            Issue.record("no replay from the oldest kept")
            return
        }
        #expect(events.map(\.sequence) == [3, 4, 5])
    }

    @Test("a client that falls behind its limit is dropped, told why, and let go by the bus")
    func slowClient() async {
        let bus = TaskEventBus(clientQueueLimit: 3)
        let slow = bus.subscribe(EventFilter())
        bus.publish([event(), event()])
        bus.publish([event(), event()])
        #expect(bus.subscriberCount == 0)
        guard case .ended(.tooSlow) = await slow.next(timeout: .seconds(5)) else {
            Issue.record("the slow client was not dropped")
            return
        }
        bus.publish([event()])
        guard case .ended(.tooSlow) = await slow.next(timeout: .seconds(5)) else {
            Issue.record("a dropped client got more")
            return
        }
    }

    @Test("a wait with nothing to deliver ends idle at its timeout, and cancel ends it")
    func idleAndCancel() async {
        let bus = TaskEventBus()
        let subscription = bus.subscribe(EventFilter())
        guard case .idle = await subscription.next(timeout: .milliseconds(20)) else {
            Issue.record("not idle")
            return
        }
        subscription.cancel()
        #expect(bus.subscriberCount == 0)
        guard case .ended(.closed) = await subscription.next(timeout: .seconds(5)) else {
            Issue.record("not closed")
            return
        }
    }

    @Test("unwatched, the bus keeps nothing, so a resume from then gets a gap; a client makes it watched")
    func watched() async {
        let bus = TaskEventBus(retention: .zero)
        #expect(!bus.isWatched)
        bus.publish([event(), event()])
        let late = bus.subscribe(EventFilter(), after: 1)
        #expect(bus.isWatched)
        guard case .gap = await late.next(timeout: .seconds(5)) else {
            Issue.record("events published unwatched were resumable")
            return
        }
        bus.publish([event()])
        let resumed = bus.subscribe(EventFilter(), after: 2)
        guard case .events(let events) = await resumed.next(timeout: .seconds(5)) else {
            Issue.record("events published watched were not kept")
            return
        }
        #expect(events.map(\.sequence) == [3])
        late.cancel()
        resumed.cancel()
        #expect(!bus.isWatched, "with no retention the bus is unwatched once its clients leave")
    }

    @Test("observers see every event, local or not, in order")
    func observers() {
        let bus = TaskEventBus()
        let seen = Mutex<[UInt64]>([])
        bus.observe { event in seen.withLock { $0.append(event.sequence) } }
        bus.publish([event(), event()])
        #expect(seen.withLock { $0 } == [1, 2])
    }
}
