import Foundation
import ServiceLifecycle
import ServiceLifecycleTestKit
import TestSupport
import Testing

@testable import Scheduler

@Suite("Engine", .timeLimit(.minutes(5)))
struct EngineTests {
    @Test("retries follow the task processor's: +1, +2, +4 minutes, then failed for good", arguments: StoreKind.available)
    func retrySchedule(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let harness = try EngineHarness(db, handlers: testHandlers)
            let start = harness.clock.now
            let id = try await harness.enqueue("flaky", context: #"{"fail_times": 99}"#).id

            var attemptTimes: [Date] = []
            for (attempt, wait) in [(1, 0), (2, 60), (3, 120), (4, 240)] {
                if wait > 0 {
                    harness.clock.advance(by: .seconds(wait - 1))
                    #expect(await harness.engine.runUntilIdle().isEmpty, "attempt \(attempt) ran a second early")
                    harness.clock.advance(by: .seconds(1))
                }
                attemptTimes.append(harness.clock.now)
                let records = await harness.engine.runUntilIdle()
                #expect(records.map(\.task.attempt) == [attempt])
            }
            #expect(attemptTimes.map { $0.timeIntervalSince(start) } == [0, 60, 180, 420])

            let task = try #require(try await harness.task(id))
            #expect(task.status == .failed)
            #expect(task.retryCount == 3)
            let errors = try #require(task.errorLog).split(separator: "\n")
            #expect(errors.count == 4)
            for (index, line) in errors.enumerated() {
                #expect(line.contains("attempt \(index + 1) at "))
                #expect(line.hasSuffix("transient failure on attempt \(index + 1)"))
            }
            let log = try await db.store.actionLog(taskID: id)
            #expect(log.map(\.attempt) == [1, 2, 3, 4])
            #expect(log.allSatisfy { $0.actionType == "process_flaky" && $0.error != nil && $0.outputData == nil })
            #expect(log.map(\.createdAt) == attemptTimes)

            harness.clock.advance(by: .seconds(3600))
            #expect(await harness.engine.runUntilIdle().isEmpty)
        }
    }

    @Test("after a manual retry, attempt numbers keep counting in the error history and the action log",
          arguments: StoreKind.available)
    func retryKeepsCounting(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let harness = try EngineHarness(db, handlers: testHandlers)
            let id = try await harness.enqueue("flaky", context: #"{"fail_times": 2, "permanent": true}"#).id
            await harness.engine.runUntilIdle()
            #expect(try await harness.task(id)?.status == .failed)

            _ = try await db.store.retry(id: id, now: harness.clock.now)
            let records = await harness.engine.runUntilIdle()
            #expect(records.map(\.task.attempt) == [2])
            let task = try #require(try await harness.task(id))
            #expect(task.status == .failed && task.retryCount == 0 && task.attempts == 2)
            let errors = try #require(task.errorLog).split(separator: "\n")
            #expect(errors.map { $0.hasPrefix("attempt 1 at ") } == [true, false])
            #expect(errors.last?.hasPrefix("attempt 2 at ") == true)
            #expect(try await db.store.actionLog(taskID: id).map(\.attempt) == [1, 2])
        }
    }

    @Test("a retryable failure retries; a permanent one fails at once", arguments: StoreKind.available)
    func permanentVersusRetryable(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let harness = try EngineHarness(db, handlers: testHandlers) { $0.retryPolicy = RetryPolicy(baseDelay: .zero) }
            let transient = try await harness.enqueue("flaky", context: #"{"fail_times": 1}"#).id
            let permanent = try await harness.enqueue("flaky", context: #"{"fail_times": 1, "permanent": true}"#).id

            await harness.engine.runUntilIdle()

            let recovered = try #require(try await harness.task(transient))
            #expect(recovered.status == .completed)
            #expect(recovered.retryCount == 1)
            #expect(recovered.resultJSON?.replacingOccurrences(of: " ", with: "") == #"{"attempt":2}"#)
            #expect(try await db.store.actionLog(taskID: transient).map(\.error) == ["transient failure on attempt 1", nil])

            let dead = try #require(try await harness.task(permanent))
            #expect(dead.status == .failed)
            #expect(dead.retryCount == 0)
            #expect(dead.errorLog?.hasSuffix("permanent failure on attempt 1") == true)
            #expect(try await db.store.actionLog(taskID: permanent).count == 1)
        }
    }

    @Test("a context that does not decode fails permanently, naming the field", arguments: StoreKind.available)
    func badContext(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let harness = try EngineHarness(db, handlers: testHandlers)
            let missing = try await harness.enqueue("greet", context: #"{"name": "Ada"}"#).id
            let wrongType = try await harness.enqueue("greet", context: #"{"name": 7, "times": 1}"#).id
            let notObject = try await harness.enqueue("greet", context: #"["Ada"]"#).id
            let good = try await harness.enqueue("greet", context: #"{"name": "Ada", "times": 2}"#).id

            await harness.engine.runUntilIdle()

            for id in [missing, wrongType, notObject] {
                let task = try #require(try await harness.task(id))
                #expect(task.status == .failed && task.retryCount == 0)
            }
            #expect(try await harness.task(missing)?.errorLog?.hasSuffix("context field 'times' is missing") == true)
            #expect(try await harness.task(wrongType)?.errorLog?.contains("context field 'name' has the wrong type") == true)
            #expect(try await harness.task(notObject)?.errorLog?.hasSuffix("context_json must be a JSON object, not an array") == true)
            let result = try #require(try await harness.task(good)?.resultJSON)
            #expect(try JSONSerialization.jsonObject(with: Data(result.utf8)) as? [String: String] == ["greeting": "hello Ada hello Ada"])
        }
    }

    @Test("a row inserted by plain SQL with only the task processor's columns is processed", arguments: StoreKind.available)
    func plainSQLInsert(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let harness = try EngineHarness(db, handlers: testHandlers)
            let user = UUID().uuidString.lowercased()
            try await db.execute(
                """
                INSERT INTO agent_tasks (task_type, agent_type, user_id, priority, context_json)
                VALUES ('noop', 'concierge', '\(user)', 'high', '{"note": "from another service"}')
                """
            )
            harness.clock.set(Date().addingTimeInterval(1))
            let records = await harness.engine.runUntilIdle()
            #expect(records.count == 1)
            let task = try #require(records.first?.task)
            #expect(task.userID?.uuidString.lowercased() == user)
            #expect(task.priority == .high && task.maxRetries == 3 && task.retryCount == 0)
            #expect(try await harness.task(task.id)?.status == .completed)
            #expect(try await db.store.actionLog(taskID: task.id).count == 1)
        }
    }

    @Test("a handler that never returns is cut off at its timeout as a retryable failure")
    func hungHandler() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let harness = try EngineHarness(db, handlers: [HungHandler()])
            let id = try await harness.enqueue(HungHandler.taskType).id
            let records = await harness.engine.processDueTasks()
            #expect(records.count == 1)
            let task = try #require(try await harness.task(id))
            #expect(task.status == .pending && task.retryCount == 1)
            #expect(task.errorLog?.contains("timed out after") == true)
        }
    }

    @Test("serve --until-idle registers its running attempts, so the lease keeper renews their leases",
          arguments: StoreKind.available)
    func untilIdleKeepsLeases(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let gate = Gate()
            let (started, startedContinuation) = AsyncStream.makeStream(of: UUID.self)
            let harness = try EngineHarness(db, handlers: [GateHandler(gate: gate, started: startedContinuation)])
            let id = try await harness.enqueue("gate").id
            try await withDeadline {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await harness.engine.runUntilIdle() }
                    var iterator = started.makeAsyncIterator()
                    #expect(await iterator.next() == id)
                    #expect(harness.engine.running.ids == [id])
                    let keeper = LeaseKeeper(
                        store: db.store, running: harness.engine.running, configuration: harness.engine.configuration,
                        clock: harness.clock, logger: TestDatabase.logger)
                    harness.clock.advance(by: .seconds(45))
                    await keeper.extendOnce()
                    let lease = try #require(try await harness.task(id)?.lockedUntil)
                    #expect(lease == harness.clock.now.addingTimeInterval(60))
                    gate.open()
                    try await group.waitForAll()
                }
            }
            #expect(try await harness.task(id)?.status == .completed)
        }
    }

    /// Runs an engine with two blocking `gate` tasks, triggers graceful shutdown once both
    /// handlers have started, and calls `afterShutdownTriggered` (e.g. to open the gate);
    /// returns the two task ids once the engine has stopped.
    func shutDownWithTwoRunning(
        _ db: TestDatabase, grace: Duration, gate: Gate, afterShutdownTriggered: @escaping @Sendable () -> Void = {}
    ) async throws -> [UUID] {
        let (started, startedContinuation) = AsyncStream.makeStream(of: UUID.self)
        let harness = try EngineHarness(db, handlers: [GateHandler(gate: gate, started: startedContinuation)]) {
            $0.concurrency = 2
            $0.shutdownGrace = grace
        }
        harness.clock.set(Date())
        let ids = [try await harness.enqueue("gate").id, try await harness.enqueue("gate").id]
        try await testGracefulShutdown { trigger in
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { await harness.engine.run() }
                var iterator = started.makeAsyncIterator()
                _ = await iterator.next()
                _ = await iterator.next()
                trigger.triggerGracefulShutdown()
                afterShutdownTriggered()
            }
        }
        return ids
    }

    @Test("graceful shutdown lets running handlers finish within the grace period", arguments: StoreKind.available)
    func shutdownFinishesRunning(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let gate = Gate()
            let ids = try await shutDownWithTwoRunning(db, grace: .seconds(600), gate: gate) { gate.open() }
            for id in ids {
                #expect(try await db.store.task(id: id)?.status == .completed)
                #expect(try await db.store.actionLog(taskID: id).count == 1)
            }
        }
    }

    @Test("graceful shutdown releases what is still running after the grace period", arguments: StoreKind.available)
    func shutdownReleases(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let ids = try await shutDownWithTwoRunning(db, grace: .zero, gate: Gate())
            for id in ids {
                let task = try #require(try await db.store.task(id: id))
                #expect(task.status == .pending)
                #expect(task.retryCount == 0)
                #expect(task.lockedBy == nil)
                #expect(try await db.store.actionLog(taskID: id).isEmpty)
            }
        }
    }

    @Test("the rescuer returns a crashed worker's task, and the engine then completes it", arguments: StoreKind.available)
    func rescueThenComplete(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let harness = try EngineHarness(db, handlers: testHandlers)
            let id = try await harness.enqueue("noop").id
            let now = harness.clock.now
            _ = try await db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: "crashed-worker", leaseUntil: now.addingTimeInterval(60), now: now)
            #expect(await harness.engine.runUntilIdle().isEmpty)

            let rescuer = Rescuer(
                store: db.store, configuration: harness.engine.configuration, clock: harness.clock, logger: TestDatabase.logger)
            harness.clock.advance(by: .seconds(61))
            #expect(await rescuer.rescueOnce() == [id])
            harness.clock.advance(by: .seconds(60))
            #expect(await harness.engine.runUntilIdle().map(\.task.id) == [id])

            let task = try #require(try await harness.task(id))
            #expect(task.status == .completed && task.retryCount == 1)
            #expect(try await db.store.actionLog(taskID: id).map(\.attempt) == [1, 2])
        }
    }

    @Test("counters track attempts and successes")
    func counters() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let harness = try EngineHarness(db, handlers: testHandlers) { $0.retryPolicy = RetryPolicy(baseDelay: .zero) }
            _ = try await harness.enqueue("noop")
            _ = try await harness.enqueue("flaky", context: #"{"fail_times": 1}"#)
            await harness.engine.runUntilIdle()
            let snapshot = harness.engine.counters.snapshot
            #expect(snapshot.processed == 3)
            #expect(snapshot.succeeded == 2)
            #expect(snapshot.failed == 1)
            #expect(snapshot.lastProcessedAt == harness.clock.now)
        }
    }
}

/// Never returns and ignores cancellation.
struct HungHandler: TaskHandler {
    typealias Context = NoopHandler.Context
    struct Result: Encodable, Sendable {}
    static let taskType = "hung"
    static let taskDescription = "Never returns."
    static let contextSchema = ContextSchema.anyObject("Not read.")
    static let timeout: Duration? = .milliseconds(50)

    func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
        return Result()
    }
}
