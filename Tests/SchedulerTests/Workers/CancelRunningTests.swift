import Foundation
import TestSupport
import Testing

@testable import Scheduler
@testable import SchedulerService

/// Cancelling a running in-process task: the handler is cancelled, the task ends
/// `cancelled` with an action-log row, wherever the request was made.
@Suite("Cancelling running tasks", .timeLimit(.minutes(5)))
struct CancelRunningTests {
    /// An engine running the gate handler (which waits until cancelled), with the task it
    /// started; `body` runs once the handler has started.
    func withRunningGate(
        _ store: any TaskStore,
        _ body: @escaping @Sendable (Engine, UUID) async throws -> Void
    ) async throws -> [AttemptRecord] {
        let (starts, started) = AsyncStream.makeStream(of: UUID.self)
        let registry = try HandlerRegistry([GateHandler(gate: Gate(), started: started)])
        let engine = Engine(
            store: store, registry: registry, configuration: EngineConfiguration(workerID: "engine-a"),
            logger: TestDatabase.logger)
        _ = try await store.enqueue(NewTask(taskType: GateHandler.taskType), now: Date())
        return try await withDeadline {
            async let records = engine.processDueTasks()
            var iterator = starts.makeAsyncIterator()
            let id = try #require(await iterator.next())
            try await body(engine, id)
            return await records
        }
    }

    func expectCancelled(_ records: [AttemptRecord], in store: any TaskStore) async throws {
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record.outcome == .cancelled(reason: "cancelled on request"))
        let task = try #require(try await store.task(id: record.task.id))
        #expect(task.status == .cancelled)
        #expect(task.retryCount == 0)
        let log = try await store.actionLog(taskID: task.id)
        #expect(log.map(\.error) == ["cancelled on request"])
        #expect(log.map(\.workerID) == ["engine-a"])
    }

    @Test("a cancel through the engine's own store stops its handler at once", arguments: StoreKind.available)
    func sameProcess(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let records = try await withRunningGate(db.store) { _, id in
                let requested = try await db.store.cancel(id: id, now: Date())
                #expect(requested.status == .processing)
                #expect(requested.cancelRequestedAt != nil)
            }
            try await expectCancelled(records, in: db.store)
            await #expect(throws: SchedulerError.invalidTransition(id: records[0].task.id, status: .cancelled, action: "cancel")) {
                try await db.store.cancel(id: records[0].task.id, now: Date())
            }
        }
    }

    @Test("a cancel by another process is found by the engine's check for requests", arguments: StoreKind.available)
    func otherProcess(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            try await StoreFactory.withStore(url: db.url, bounds: TestDatabase.bounds, logger: TestDatabase.logger) { other in
                let records = try await withRunningGate(db.store) { engine, id in
                    _ = try await other.cancel(id: id, now: Date())
                    let keeper = LeaseKeeper(
                        store: db.store, running: engine.running, configuration: engine.configuration,
                        clock: SystemClock(), logger: TestDatabase.logger)
                    await keeper.checkCancellationsOnce()
                }
                try await expectCancelled(records, in: db.store)
            }
        }
    }

    @Test("a result written after the cancel request ends the task cancelled, and the result is not stored",
          arguments: StoreKind.available)
    func lateResult(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let now = Date()
            let id = try await db.store.enqueue(NewTask(taskType: "noop"), now: now).task.id
            let task = try #require(try await db.store.claim(id: id, workerID: "w", leaseUntil: now.addingTimeInterval(60), now: now))
            let requested = try await db.store.cancel(id: id, now: now)
            let twice = try await db.store.cancel(id: id, now: now.addingTimeInterval(1))
            #expect(twice.cancelRequestedAt == requested.cancelRequestedAt, "a second cancel changes nothing")
            let events = db.store.events.subscribe(EventFilter(taskID: id))
            defer { events.cancel() }
            let applied = try await db.store.finish([AttemptRecord(
                task: task, workerID: "w", startedAt: now, finishedAt: now, outcome: .completed(resultJSON: #"{"late":true}"#))])
            #expect(applied == [id])
            let ended = try #require(try await db.store.task(id: id))
            #expect(ended.status == .cancelled)
            #expect(ended.resultJSON == nil)
            #expect(ended.completedAt == nil)
            guard case .events(let published) = await events.next(timeout: .seconds(5)) else {
                throw TestFailure("no event")
            }
            #expect(published.map(\.kind) == [.cancelled])
        }
    }

    @Test("a lease that runs out after a cancel request ends the task cancelled, not retried",
          arguments: StoreKind.available)
    func rescueOfCancelled(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let now = Date()
            let id = try await db.store.enqueue(NewTask(taskType: "noop"), now: now).task.id
            _ = try await db.store.claim(id: id, workerID: "gone", leaseUntil: now.addingTimeInterval(1), now: now)
            _ = try await db.store.cancel(id: id, now: now)
            let rescued = try await db.store.rescueExpiredLeases(now: now.addingTimeInterval(2), policy: RetryPolicy(), limit: 10)
            #expect(rescued == [id])
            #expect(try await db.store.task(id: id)?.status == .cancelled)
            // A manual retry clears the request: the task runs again.
            let retried = try await db.store.retry(id: id, now: now.addingTimeInterval(3))
            #expect(retried.status == .pending)
            #expect(retried.cancelRequestedAt == nil)
        }
    }
}
