import Foundation
import TestSupport
import Testing

@testable import Scheduler
@testable import SchedulerService

/// Pausing task types and per-type limits, enforced by the stores' claims.
@Suite("Pause, resume and per-type limits", .timeLimit(.minutes(5)))
struct FlowControlTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// Runs `body` with a second store over `db` that enforces `limits`, as a serving
    /// instance with `TASK_LIMITS` does.
    func withLimited<T: Sendable>(
        _ db: TestDatabase, _ limits: TaskLimits, _ body: (any TaskStore) async throws -> T
    ) async throws -> T {
        try await StoreFactory.withStore(url: db.url, limits: limits, bounds: TestDatabase.bounds, logger: TestDatabase.logger, body)
    }

    func enqueue(_ store: any TaskStore, _ type: String, count: Int, at now: Date) async throws {
        for _ in 0..<count {
            _ = try await store.enqueue(NewTask(taskType: type, scheduledFor: now, contextJSON: "{}"), now: now)
        }
    }

    func claim(_ store: any TaskStore, _ types: [String], limit: Int = 50, worker: String = "w", at now: Date) async throws -> [AgentTask] {
        try await store.claim(taskTypes: types, limit: limit, workerID: worker, leaseUntil: now.addingTimeInterval(60), now: now)
    }

    @Test("a paused type's tasks stay pending and are not due for any claimer until it is resumed", arguments: StoreKind.available)
    func pauseAndResume(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = db.store
            try await enqueue(store, "a", count: 2, at: t0)
            try await enqueue(store, "b", count: 1, at: t0)
            #expect(try await store.pause(taskType: "a", now: t0))
            #expect(try await store.pause(taskType: "a", now: t0) == false, "pausing twice changes nothing")
            #expect(try await store.pausedTaskTypes() == ["a": t0])
            #expect(try await claim(store, ["a", "b"], at: t0).map(\.taskType) == ["b"])
            #expect(try await store.nextDueDate(taskTypes: ["a"]) == nil, "a paused type's tasks do not wake anyone")
            try await withLimited(db, TaskLimits(["a": TaskLimit(concurrency: 5)])) { (other: any TaskStore) async throws in
                #expect(try await claim(other, ["a"], at: t0).isEmpty, "limited claims honour pauses too")
            }
            #expect(try await store.tasks(matching: TaskFilter(status: .pending, taskType: "a", limit: 10)).count == 2)
            #expect(try await store.resume(taskType: "a"))
            #expect(try await store.resume(taskType: "a") == false)
            #expect(try await store.nextDueDate(taskTypes: ["a"]) == t0)
            #expect(try await claim(store, ["a"], at: t0).count == 2)
        }
    }

    @Test("a concurrency limit caps running tasks of the type across stores; other types fill the free slots", arguments: StoreKind.available)
    func concurrencyLimit(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let limits = TaskLimits(["a": TaskLimit(concurrency: 2)])
            try await enqueue(db.store, "a", count: 5, at: t0)
            try await enqueue(db.store, "b", count: 3, at: t0)
            try await withLimited(db, limits) { one in
                try await withLimited(db, limits) { two in
                    let first = try await claim(one, ["a", "b"], limit: 10, worker: "one", at: t0)
                    #expect(first.filter { $0.taskType == "a" }.count == 2)
                    #expect(first.filter { $0.taskType == "b" }.count == 3, "the unlimited type is not held back")
                    #expect(try await claim(two, ["a"], worker: "two", at: t0).isEmpty, "the other instance sees the same limit")
                    let done = try #require(first.first { $0.taskType == "a" })
                    try await one.finish([AttemptRecord(
                        task: done, workerID: "one", startedAt: t0, finishedAt: t0, outcome: .completed(resultJSON: "{}"))])
                    #expect(try await claim(two, ["a"], worker: "two", at: t0).count == 1, "a finished task frees its place")
                    #expect(try await claim(one, ["a"], worker: "one", at: t0).isEmpty)
                }
            }
        }
    }

    @Test("a rate limit allows at most M starts in any window of its period", arguments: StoreKind.available)
    func rateLimit(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            try await enqueue(db.store, "a", count: 10, at: t0)
            try await withLimited(db, TaskLimits(["a": TaskLimit(rate: TaskLimit.Rate(starts: 3, period: 60))])) { (store: any TaskStore) async throws in
                #expect(try await claim(store, ["a"], at: t0).count == 3)
                #expect(try await claim(store, ["a"], at: t0.addingTimeInterval(30)).isEmpty)
                #expect(try await store.nextDueDate(taskTypes: ["a"]) == t0, "held back, still due: ClaimWait rechecks soon")
                #expect(try await claim(store, ["a"], at: t0.addingTimeInterval(59.9)).isEmpty)
                #expect(try await claim(store, ["a"], at: t0.addingTimeInterval(60)).count == 3, "starts at t0 left the window")
                #expect(try await claim(store, ["a"], at: t0.addingTimeInterval(100)).isEmpty)
            }
        }
    }

    @Test("a claim whose time arrives after a later one's still counts the starts of its own window",
          arguments: StoreKind.available)
    func outOfOrderClaimTimes(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            try await enqueue(db.store, "a", count: 10, at: t0)
            try await withLimited(db, TaskLimits(["a": TaskLimit(rate: TaskLimit.Rate(starts: 2, period: 10))])) { (store: any TaskStore) async throws in
                #expect(try await claim(store, ["a"], at: t0.addingTimeInterval(100)).count == 2)
                // Another instance's claim of one task, its time taken later, commits first ...
                #expect(try await claim(store, ["a"], limit: 1, at: t0.addingTimeInterval(111.5)).count == 1)
                // ... then one whose time was taken earlier, with the first two starts in its window.
                #expect(try await claim(store, ["a"], at: t0.addingTimeInterval(101)).isEmpty,
                        "the starts at 100 s are within 10 s of 101 s")
            }
        }
    }

    @Test("claims racing on two PostgreSQL instances never pass the concurrency limit",
          .enabled(if: StoreKind.postgresAvailable, "needs PostgreSQL: run scripts/test"))
    func racingClaims() async throws {
        try await TestDatabase.with(.postgres) { db in
            let limits = TaskLimits(["a": TaskLimit(concurrency: 3, rate: TaskLimit.Rate(starts: 5, period: 3600))])
            try await enqueue(db.store, "a", count: 40, at: t0)
            let claimed = try await withLimited(db, limits) { one in
                try await withLimited(db, limits) { two in
                    try await withThrowingTaskGroup(of: Int.self) { group in
                        for index in 0..<20 {
                            let store = index.isMultiple(of: 2) ? one : two
                            group.addTask { try await claim(store, ["a"], limit: 2, worker: "w\(index)", at: t0).count }
                        }
                        return try await group.reduce(0, +)
                    }
                }
            }
            #expect(claimed == 3)
            #expect(try await db.store.tasks(matching: TaskFilter(status: .processing, limit: 50)).count == 3)
        }
    }

    @Test("the claim wait rechecks held-back tasks soon, sleeps until a future task, and at most the maximum")
    func claimWait() {
        let now = t0
        #expect(ClaimWait.duration(nextDue: nil, now: now, maximum: .seconds(5)) == .seconds(5))
        #expect(ClaimWait.duration(nextDue: now.addingTimeInterval(-10), now: now, maximum: .seconds(5)) == ClaimWait.heldBackRecheck)
        #expect(ClaimWait.duration(nextDue: now.addingTimeInterval(1.5), now: now, maximum: .seconds(5)) == .milliseconds(1500))
        #expect(ClaimWait.duration(nextDue: now.addingTimeInterval(60), now: now, maximum: .seconds(5)) == .seconds(5))
    }
}
