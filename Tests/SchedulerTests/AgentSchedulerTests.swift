import Foundation
import Scheduler
import SchedulerService
import ServiceLifecycle
import ServiceLifecycleTestKit
import TestSupport
import Testing

/// The composition root `serve`, the benchmark and embedders share: it prepares the
/// database, runs every part as one service group, drains at a graceful shutdown and
/// lets go at a second signal.
@Suite("AgentScheduler service", .timeLimit(.minutes(2)))
struct AgentSchedulerTests {
    private func scheduler(_ db: TestDatabase, handler: GateHandler, schema: AgentScheduler.SchemaUse = .migrate) throws
        -> AgentScheduler
    {
        var configuration = SchedulerConfiguration(
            schedules: [ScheduleRequest(name: "nightly", taskType: "noop", cron: "0 3 * * *")],
            engine: EngineConfiguration(workerID: "service-test", pollInterval: .seconds(3600), shutdownGrace: .seconds(3600)))
        configuration.engine.concurrency = 2
        return try AgentScheduler(
            store: db.store, handlers: HandlerSet(HandlerSet.builtIns + [handler]), configuration: configuration,
            schema: schema, logger: TestDatabase.logger)
    }

    @Test("starts: writes the declared schedules, runs a task; a graceful shutdown waits for the running handler",
          arguments: StoreKind.available)
    func drainsAtShutdown(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let gate = Gate()
            let (started, startedContinuation) = AsyncStream.makeStream(of: UUID.self)
            let scheduler = try scheduler(db, handler: GateHandler(gate: gate, started: startedContinuation))
            let task = try await db.store.enqueue(NewTask(taskType: "gate", scheduledFor: Date()), now: Date()).task
            try await testGracefulShutdown { trigger in
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await scheduler.run() }
                    var attempts = started.makeAsyncIterator()
                    let id = await attempts.next()
                    #expect(id == task.id)
                    trigger.triggerGracefulShutdown()
                    gate.open()
                }
            }
            let schedules = try await db.store.schedules()
            #expect(schedules.map(\.name) == ["nightly"], "the declared schedule was not written before the engine ran")
            let tasks = try await db.store.tasks(matching: TaskFilter(limit: 10))
            #expect(tasks.map(\.status) == [.completed], "the running handler was not drained at the graceful shutdown")
        }
    }

    @Test("a second signal lets the running handler go at once and releases its task to pending",
          arguments: StoreKind.available)
    func secondSignal(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let (started, startedContinuation) = AsyncStream.makeStream(of: UUID.self)
            let scheduler = try scheduler(db, handler: GateHandler(gate: Gate(), started: startedContinuation))
            let task = try await db.store.enqueue(NewTask(taskType: "gate", scheduledFor: Date()), now: Date()).task
            try await testGracefulShutdown { trigger in
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await scheduler.run() }
                    var attempts = started.makeAsyncIterator()
                    _ = await attempts.next()
                    trigger.triggerGracefulShutdown()
                    scheduler.abandonShutdownGrace()
                }
            }
            let released = try #require(try await db.store.task(id: task.id))
            #expect(released.status == .pending, "the task of the abandoned handler was not released")
        }
    }

    @Test("with the schema required, a database without it stops the service with MissingSchemaError",
          arguments: StoreKind.available)
    func requiresSchema(kind: StoreKind) async throws {
        try await TestDatabase.with(kind, migrated: false) { db in
            let (_, startedContinuation) = AsyncStream.makeStream(of: UUID.self)
            let scheduler = try scheduler(db, handler: GateHandler(gate: Gate(), started: startedContinuation), schema: .require)
            await #expect(throws: MissingSchemaError.self) { try await scheduler.run() }
        }
    }
}
