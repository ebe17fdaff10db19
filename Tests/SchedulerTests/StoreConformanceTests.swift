import Foundation
import TestSupport
import Testing

@testable import Scheduler

/// The behaviour every ``TaskStore`` must have, run against SQLite and PostgreSQL.
@Suite("Store conformance", .timeLimit(.minutes(5)))
struct StoreConformanceTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let worker = "worker-a"

    func task(_ type: String = "noop", at: Date? = nil, priority: TaskPriority = .medium, key: String? = nil) -> NewTask {
        NewTask(taskType: type, agentType: "concierge", scheduledFor: at, priority: priority, idempotencyKey: key)
    }

    @Test("claims in priority order, then by scheduled_for, at most the batch size", arguments: StoreKind.available)
    func claimOrderAndBatchSize(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let low = try await db.store.enqueue(task(at: t0.addingTimeInterval(-50), priority: .low), now: t0).task
            let urgentLate = try await db.store.enqueue(task(at: t0.addingTimeInterval(-1), priority: .urgent), now: t0).task
            let urgentEarly = try await db.store.enqueue(task(at: t0.addingTimeInterval(-2), priority: .urgent), now: t0).task
            let high = try await db.store.enqueue(task(at: t0.addingTimeInterval(-30), priority: .high), now: t0).task
            let medium = try await db.store.enqueue(task(at: t0.addingTimeInterval(-40)), now: t0).task

            let first = try await db.store.claim(
                taskTypes: ["noop"], limit: 3, workerID: worker, leaseUntil: t0.addingTimeInterval(60), now: t0)
            #expect(first.map(\.id) == [urgentEarly.id, urgentLate.id, high.id])
            #expect(first.allSatisfy { $0.status == .processing && $0.lockedBy == worker })
            #expect(first.allSatisfy { $0.lockedUntil == t0.addingTimeInterval(60) && $0.lastAttemptedAt == t0 })

            let second = try await db.store.claim(
                taskTypes: ["noop"], limit: 3, workerID: worker, leaseUntil: t0.addingTimeInterval(60), now: t0)
            #expect(second.map(\.id) == [medium.id, low.id])
        }
    }

    @Test("claims only tasks that are due", arguments: StoreKind.available)
    func onlyDue(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let due = try await db.store.enqueue(task(at: t0), now: t0).task
            let later = try await db.store.enqueue(task(at: t0.addingTimeInterval(0.5)), now: t0).task
            let claimed = try await db.store.claim(
                taskTypes: ["noop"], limit: 10, workerID: worker, leaseUntil: t0.addingTimeInterval(60), now: t0)
            #expect(claimed.map(\.id) == [due.id])
            #expect(try await db.store.nextDueDate(taskTypes: ["noop"]) == later.scheduledFor)
            let atTime = try await db.store.claim(
                taskTypes: ["noop"], limit: 10, workerID: worker, leaseUntil: t0.addingTimeInterval(60),
                now: t0.addingTimeInterval(0.5))
            #expect(atTime.map(\.id) == [later.id])
        }
    }

    @Test("the next due date is the earliest pending task of the given types, whatever its priority",
          arguments: StoreKind.available)
    func nextDueDate(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            #expect(try await db.store.nextDueDate(taskTypes: ["noop"]) == nil)
            _ = try await db.store.enqueue(task(at: t0.addingTimeInterval(30), priority: .urgent), now: t0)
            let earliest = try await db.store.enqueue(task(at: t0.addingTimeInterval(10), priority: .low), now: t0).task
            _ = try await db.store.enqueue(task(at: t0.addingTimeInterval(20), priority: .high), now: t0)
            _ = try await db.store.enqueue(task("from_the_future", at: t0.addingTimeInterval(5)), now: t0)
            let cancelled = try await db.store.enqueue(task(at: t0.addingTimeInterval(1)), now: t0).task
            _ = try await db.store.cancel(id: cancelled.id, now: t0)

            #expect(try await db.store.nextDueDate(taskTypes: ["noop"]) == earliest.scheduledFor)
            #expect(try await db.store.nextDueDate(taskTypes: ["noop", "from_the_future"]) == t0.addingTimeInterval(5))
            #expect(try await db.store.nextDueDate(taskTypes: []) == nil)
        }
    }

    @Test("claims only registered types and counts the rest as unroutable; counts cover live tasks only",
          arguments: StoreKind.available)
    func onlyRegistered(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let known = try await db.store.enqueue(task("noop", at: t0), now: t0).task
            let unknown = try await db.store.enqueue(task("from_the_future", at: t0), now: t0).task
            let cancelled = try await db.store.enqueue(task("noop", at: t0), now: t0).task
            _ = try await db.store.cancel(id: cancelled.id, now: t0)
            let claimed = try await db.store.claim(
                taskTypes: ["noop"], limit: 10, workerID: worker, leaseUntil: t0.addingTimeInterval(60), now: t0)
            #expect(claimed.map(\.id) == [known.id])
            #expect(try await db.store.task(id: unknown.id)?.status == .pending)

            let counts = try await db.store.counts(registeredTypes: ["noop"], limit: 100)
            #expect(counts.unroutable == 1)
            #expect(counts[.pending] == 1)
            #expect(counts[.processing] == 1)
            #expect(counts[.cancelled] == 0)
            #expect(counts.byType == ["noop": 1, "from_the_future": 1])
            #expect(!counts.capped)
            for _ in 0..<3 { _ = try await db.store.enqueue(task("noop", at: t0), now: t0) }
            let capped = try await db.store.counts(registeredTypes: ["noop"], limit: 2)
            #expect(capped[.pending] == 2 && capped[.processing] == 1 && capped.capped, "a backlog is counted up to the limit")
            #expect(try await db.store.counts(registeredTypes: ["noop"], limit: 4) == TaskCounts(
                byStatus: [.pending: 4, .processing: 1], byType: ["noop": 4, "from_the_future": 1], unroutable: 1, capped: true))
        }
    }

    @Test("a batch inserts all its tasks in order, each key once: a key taken before or earlier in the batch returns its task",
          arguments: StoreKind.available)
    func batchEnqueue(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let before = try await db.store.enqueue(task(key: "k0"), now: t0).task
            var user = task("greet", at: t0.addingTimeInterval(60), priority: .high, key: "k1")
            user.userID = UUID()
            user.contextJSON = #"{"name":"Ada","times":1}"#
            let results = try await db.store.enqueue(batch: [user, task(key: "k0"), task(key: "k1"), task()], now: t0)
            #expect(results.map(\.created) == [true, false, false, true])
            #expect(results[1].task.id == before.id && results[2].task.id == results[0].task.id)
            let first = results[0].task
            #expect(first.taskType == "greet" && first.priority == .high && first.userID == user.userID)
            #expect(first.scheduledFor == t0.addingTimeInterval(60) && first.createdAt == t0 && first.status == .pending)
            #expect(results[3].task.scheduledFor == t0 && results[3].task.idempotencyKey == nil)
            let stored = try await db.store.tasks(matching: TaskFilter())
            #expect(stored.count == 3)
            let none = try await db.store.enqueue(batch: [], now: t0)
            #expect(none.isEmpty)
        }
    }

    @Test("a batch with one task the database refuses inserts none",
          .enabled(if: StoreKind.postgresAvailable, "needs PostgreSQL: run scripts/test"))
    func batchIsAtomic() async throws {
        try await TestDatabase.with(.postgres) { db in
            var broken = task()
            broken.contextJSON = "{not json"
            do {
                _ = try await db.store.enqueue(batch: [task(key: "a"), broken, task(key: "b")], now: t0)
                Issue.record("a batch with invalid JSON was accepted")
            } catch {}
            let stored = try await db.store.tasks(matching: TaskFilter())
            #expect(stored.isEmpty)
        }
    }

    @Test("an idempotency key returns the first task instead of a duplicate", arguments: StoreKind.available)
    func idempotency(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let first = try await db.store.enqueue(task(key: "follow-up-42"), now: t0)
            let second = try await db.store.enqueue(task(priority: .urgent, key: "follow-up-42"), now: t0)
            #expect(first.created)
            #expect(!second.created)
            #expect(second.task.id == first.task.id)
            #expect(second.task.priority == .medium)
            #expect(try await db.store.tasks(matching: TaskFilter()).count == 1)
        }
    }

    @Test("50 concurrent enqueues with one idempotency key create one task", arguments: StoreKind.available)
    func idempotencyUnderRace(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = db.store
            let t0 = t0
            let ids = try await withThrowingTaskGroup(of: UUID.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await store.enqueue(NewTask(taskType: "noop", idempotencyKey: "same"), now: t0).task.id }
                }
                return try await group.reduce(into: Set<UUID>()) { $0.insert($1) }
            }
            #expect(ids.count == 1)
            #expect(try await store.tasks(matching: TaskFilter()).count == 1)
        }
    }

    @Test("two concurrent claimers never get the same task", arguments: StoreKind.available)
    func concurrentClaimers(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            for _ in 0..<200 { _ = try await db.store.enqueue(task(at: t0), now: t0) }
            let store = db.store
            let t0 = t0
            let claims = try await withThrowingTaskGroup(of: [UUID].self) { group in
                for claimer in 0..<4 {
                    group.addTask {
                        var mine: [UUID] = []
                        while true {
                            let batch = try await store.claim(
                                taskTypes: ["noop"], limit: 7, workerID: "claimer-\(claimer)",
                                leaseUntil: t0.addingTimeInterval(60), now: t0)
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: [UUID]()) { $0 += $1 }
            }
            #expect(claims.count == 200)
            #expect(Set(claims).count == 200)
        }
    }
}
