import Foundation
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import TestSupport
import Testing

@testable import Scheduler

/// Counts how many of its attempts run at once, and reports each finish.
struct ConcurrencyProbeHandler: TaskHandler {
    typealias Context = NoopHandler.Context

    struct Result: Encodable, Sendable {}

    static let taskType = "probe"
    static let taskDescription = "Records how many probes run at once."
    static let contextSchema = ContextSchema.anyObject("Not read.")

    /// How many run now, and the most seen at once.
    final class Tally: Sendable {
        let counts = Mutex<(now: Int, most: Int)>((0, 0))
        var most: Int { counts.withLock { $0.most } }
    }

    let running: Tally
    let finished: AsyncStream<UUID>.Continuation

    func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        running.counts.withLock { $0 = (now: $0.now + 1, most: max($0.most, $0.now + 1)) }
        await Task.yield()
        running.counts.withLock { $0.now -= 1 }
        finished.yield(invocation.task.id)
        return Result()
    }
}

@Suite("Claims ahead of free slots", .timeLimit(.minutes(5)))
struct ClaimAheadTests {
    @Test("handlers that return at once: every task runs once, never more than the concurrency at a time",
          arguments: StoreKind.available)
    func fastHandlers(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let running = ConcurrencyProbeHandler.Tally()
            let (finished, finishedContinuation) = AsyncStream.makeStream(of: UUID.self)
            let probe = ConcurrencyProbeHandler(running: running, finished: finishedContinuation)
            let harness = try EngineHarness(db, handlers: [probe]) {
                $0.concurrency = 3
                $0.batchSize = 10
            }
            harness.clock.set(Date())
            let tasks = 300
            _ = try await db.store.enqueue(
                batch: (0..<tasks).map { _ in NewTask(taskType: "probe", scheduledFor: harness.clock.now) }, now: harness.clock.now)
            try await testGracefulShutdown { trigger in
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { await harness.engine.run() }
                    var count = 0
                    for await _ in finished {
                        count += 1
                        if count == tasks { break }
                    }
                    trigger.triggerGracefulShutdown()
                }
            }
            #expect(running.most <= 3, "more handlers ran at once than the concurrency")
            let completed = try await db.store.tasks(matching: TaskFilter(status: .completed, limit: tasks))
            #expect(completed.count == tasks && completed.allSatisfy { $0.attempts == 1 }, "a task ran more than once")
        }
    }

    @Test("handlers that hold their slot: nothing is claimed ahead of them, so other instances can take the rest",
          arguments: StoreKind.available)
    func slowHandlers(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let gate = Gate()
            let (started, startedContinuation) = AsyncStream.makeStream(of: UUID.self)
            let harness = try EngineHarness(db, handlers: [GateHandler(gate: gate, started: startedContinuation)]) {
                $0.concurrency = 2
                $0.batchSize = 10
            }
            harness.clock.set(Date())
            for _ in 0..<6 { _ = try await harness.enqueue("gate") }
            try await testGracefulShutdown { trigger in
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { await harness.engine.run() }
                    var iterator = started.makeAsyncIterator()
                    _ = await iterator.next()
                    _ = await iterator.next()
                    let counts = try await db.store.counts(registeredTypes: ["gate"], limit: TaskCounts.limit).byStatus
                    #expect(counts[.processing] == 2 && counts[.pending] == 4, "\(counts)")
                    gate.open()
                    for _ in 0..<4 { _ = await iterator.next() }
                    trigger.triggerGracefulShutdown()
                }
            }
            let completed = try await db.store.tasks(matching: TaskFilter(status: .completed))
            #expect(completed.count == 6 && completed.allSatisfy { $0.attempts == 1 })
        }
    }
}
