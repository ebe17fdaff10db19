import Foundation
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import TestSupport
import Testing

@testable import Scheduler

/// Observers of a store's events end with their owner, so a stopped part leaves nothing
/// on the store it used.
@Suite("Event observers", .timeLimit(.minutes(2)))
struct EventObserverTests {
    @Test("an ended observation is no longer called, and ending it twice is harmless")
    func observationEnds() {
        let bus = TaskEventBus()
        let calls = Counter()
        let observation = bus.observe { _ in calls.add() }
        let event = TaskEvent(
            kind: .created, taskID: UUID(), taskType: "noop", userID: nil, status: .pending, attempt: nil, workerID: nil,
            details: nil)
        bus.publish([event])
        observation.end()
        observation.end()
        bus.publish([event])
        #expect(calls.value == 1)
        #expect(bus.observerCount == 0)
    }

    @Test("a stopped engine leaves no observer on its store's events: neither its own nor its metrics'", arguments: StoreKind.available)
    func engineEndsItsObservation(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let before = db.store.events.observerCount
            let harness = try EngineHarness(db, handlers: [NoopHandler()])
            let observing = db.store.events.observerCount
            #expect(observing > before)
            try await testGracefulShutdown { trigger in
                trigger.triggerGracefulShutdown()
                await harness.engine.run()
            }
            #expect(db.store.events.observerCount == before, "the engine's observers outlived it")
        }
    }
}

/// Counts calls from any thread.
private final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func add() { count.withLock { $0 += 1 } }
}
