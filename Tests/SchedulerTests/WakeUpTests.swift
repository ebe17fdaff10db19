import Foundation
import ServiceLifecycle
import ServiceLifecycleTestKit
import TestSupport
import Testing

@testable import Scheduler
@testable import SchedulerService

/// An idle engine with an hour-long poll interval still starts a task the moment it is
/// due: PostgreSQL notifies the listener of rows from any connection, and the poller
/// sleeps only until the next `scheduled_for`.
@Suite("Wake-up", .timeLimit(.minutes(5)))
struct WakeUpTests {
    /// Runs `body` with an engine running; fails instead of hanging if `body` does not
    /// finish within ``withDeadline(_:_:)``'s limit.
    func withRunningEngine(
        _ db: TestDatabase,
        _ body: @escaping @Sendable (AsyncStream<UUID>) async throws -> Void
    ) async throws {
        let gate = Gate()
        gate.open()
        let (started, startedContinuation) = AsyncStream.makeStream(of: UUID.self)
        let engine = Engine(
            store: db.store,
            registry: try HandlerRegistry([GateHandler(gate: gate, started: startedContinuation)]),
            configuration: EngineConfiguration(workerID: "wake-test", pollInterval: .seconds(3600)),
            logger: TestDatabase.logger
        )
        try await withDeadline {
            try await testGracefulShutdown { trigger in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await engine.run() }
                    try await body(started)
                    trigger.triggerGracefulShutdown()
                    group.cancelAll()
                }
            }
        }
    }

    @Test("a row inserted or made pending by plain SQL from another connection sends a wake-up (LISTEN/NOTIFY)",
          .enabled(if: StoreKind.postgresAvailable, "needs PostgreSQL: run scripts/test"))
    func notifyWakesListener() async throws {
        try await TestDatabase.with(.postgres) { db in
            let (wakes, continuation) = AsyncStream.makeStream(of: Void.self)
            let listener = try #require(db.store.wakeListener(logger: TestDatabase.logger) { continuation.yield() })
            try await withDeadline { try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await listener.run() }
                var iterator = wakes.makeAsyncIterator()
                // The first wake-up comes once LISTEN is in place.
                _ = await iterator.next()
                let rows = try await db.query(
                    "INSERT INTO agent_tasks (task_type, agent_type, status) VALUES ('x', 'other', 'cancelled') RETURNING id::text", [])
                let id = try #require(rows.first?.first ?? nil)
                try await db.execute("INSERT INTO agent_tasks (task_type, agent_type) VALUES ('x', 'other')")
                #expect(await iterator.next() != nil)
                try await db.execute("UPDATE agent_tasks SET status = 'pending' WHERE id = '\(id)'")
                #expect(await iterator.next() != nil)
                group.cancelAll()
            } }
        }
    }

    @Test("a task scheduled a moment ahead starts at its time, not at the next poll", arguments: StoreKind.available)
    func onTime(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let due = Date().addingTimeInterval(0.3)
            let id = try await db.store.enqueue(NewTask(taskType: "gate", scheduledFor: due), now: Date()).task.id
            try await withRunningEngine(db) { started in
                var iterator = started.makeAsyncIterator()
                #expect(await iterator.next() == id)
                #expect(Date() >= due)
            }
        }
    }

    @Test("resuming a paused type wakes every instance's engine (NOTIFY), as an insert does",
          .enabled(if: StoreKind.postgresAvailable, "needs PostgreSQL: run scripts/test"))
    func resumeNotifies() async throws {
        try await TestDatabase.with(.postgres) { db in
            _ = try await db.store.pause(taskType: "x", now: Date())
            let (wakes, continuation) = AsyncStream.makeStream(of: Void.self)
            let listener = try #require(db.store.wakeListener(logger: TestDatabase.logger) { continuation.yield() })
            try await withDeadline { try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await listener.run() }
                var iterator = wakes.makeAsyncIterator()
                _ = await iterator.next()
                let resumed = try await db.store.resume(taskType: "x")
                #expect(resumed)
                #expect(await iterator.next() != nil, "no wake-up after the resume")
                group.cancelAll()
            } }
        }
    }

    @Test("POST /task-types/{type}/resume wakes this engine at once", arguments: StoreKind.available)
    func resumeWakesEngine(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            let paused = try await client.send(.post, "/task-types/noop/pause")
            #expect(paused.status == 200)
            _ = await harness.engine.wake.wait(timeout: .zero)
            #expect(!harness.engine.wake.isPending)
            let resumed = try await client.send(.post, "/task-types/noop/resume")
            #expect(resumed.status == 200)
            #expect(harness.engine.wake.isPending, "the engine would sleep until its next poll")
        }
    }

    @Test("a finished task of a type with a concurrency limit wakes the other instances, whose tasks may wait for its slot",
          .enabled(if: StoreKind.postgresAvailable, "needs PostgreSQL: run scripts/test"))
    func limitFreedNotifies() async throws {
        try await TestDatabase.with(.postgres) { db in
            try await StoreFactory.withStore(
                url: db.url, limits: TaskLimits(["noop": TaskLimit(concurrency: 1)]), bounds: TestDatabase.bounds, logger: TestDatabase.logger
            ) { limited in
                let now = Date()
                _ = try await limited.enqueue(NewTask(taskType: "noop"), now: now)
                let task = try #require(try await limited.claim(
                    taskTypes: ["noop"], limit: 1, workerID: "w", leaseUntil: now.addingTimeInterval(60), now: now).first)
                let (wakes, continuation) = AsyncStream.makeStream(of: Void.self)
                let listener = try #require(db.store.wakeListener(logger: TestDatabase.logger) { continuation.yield() })
                try await withDeadline { try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await listener.run() }
                    var iterator = wakes.makeAsyncIterator()
                    _ = await iterator.next()
                    let done = Date()
                    let applied = try await limited.finish([AttemptRecord(
                        task: task, workerID: "w", startedAt: done, finishedAt: done, outcome: .completed(resultJSON: "null"))])
                    #expect(applied == [task.id])
                    #expect(await iterator.next() != nil, "no wake-up when the limited type's slot was freed")
                    group.cancelAll()
                } }
            }
        }
    }
}
