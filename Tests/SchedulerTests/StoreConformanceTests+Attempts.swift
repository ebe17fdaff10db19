import Foundation
import TestSupport
import Testing

@testable import Scheduler

/// The conformance of what an attempt writes: results and the action log, leases and
/// their rescue, release, cancel and retry, lists, migrations and constraints.
extension StoreConformanceTests {
    @Test("completion writes the result and one action-log row", arguments: StoreKind.available)
    func completionAndActionLog(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let user = UUID()
            var new = task(at: t0)
            new.userID = user
            new.contextJSON = #"{"reason":"check in"}"#
            _ = try await db.store.enqueue(new, now: t0)
            let claimed = try #require(try await db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: worker, leaseUntil: t0.addingTimeInterval(60), now: t0).first)
            let record = AttemptRecord(
                task: claimed, workerID: worker, startedAt: t0, finishedAt: t0.addingTimeInterval(0.25),
                outcome: .completed(resultJSON: #"{"sent":true}"#))
            #expect(try await db.store.finish([record]) == [claimed.id])

            let done = try #require(try await db.store.task(id: claimed.id))
            #expect(done.status == .completed)
            #expect(done.completedAt == t0.addingTimeInterval(0.25))
            #expect(done.lockedBy == nil && done.lockedUntil == nil)
            #expect(try JSONSerialization.jsonObject(with: Data(try #require(done.resultJSON).utf8)) as? [String: Bool] == ["sent": true])

            let log = try await db.store.actionLog(taskID: claimed.id)
            #expect(log.count == 1)
            let entry = try #require(log.first)
            #expect(entry.agentType == "task_processor")
            #expect(entry.actionType == "process_noop")
            #expect(entry.contextType == "agent_task")
            #expect(entry.userID == user)
            #expect(entry.latencyMs == 250)
            #expect(entry.error == nil)
            #expect(entry.attempt == 1)
            #expect(entry.workerID == worker)
            #expect(try JSONSerialization.jsonObject(with: Data(try #require(entry.inputData).utf8)) as? [String: String] == ["reason": "check in"])
        }
    }

    @Test("a retry goes back to pending with backoff and keeps every error", arguments: StoreKind.available)
    func retryAndPermanentFailure(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            _ = try await db.store.enqueue(task(at: t0), now: t0)
            var claimed = try #require(try await db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: worker, leaseUntil: t0.addingTimeInterval(60), now: t0).first)
            let retryAt = t0.addingTimeInterval(60)
            try await db.store.finish([AttemptRecord(
                task: claimed, workerID: worker, startedAt: t0, finishedAt: t0, outcome: .retry(at: retryAt, error: "first"))])
            let pending = try #require(try await db.store.task(id: claimed.id))
            #expect(pending.status == .pending)
            #expect(pending.retryCount == 1)
            #expect(pending.scheduledFor == retryAt)

            claimed = try #require(try await db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: worker, leaseUntil: retryAt.addingTimeInterval(60), now: retryAt).first)
            try await db.store.finish([AttemptRecord(
                task: claimed, workerID: worker, startedAt: retryAt, finishedAt: retryAt, outcome: .failed(error: "second"))])
            let failed = try #require(try await db.store.task(id: claimed.id))
            #expect(failed.status == .failed)
            #expect(failed.retryCount == 1)
            let lines = try #require(failed.errorLog).split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines[0].hasPrefix("attempt 1 at ") && lines[0].hasSuffix(": first"))
            #expect(lines[1].hasPrefix("attempt 2 at ") && lines[1].hasSuffix(": second"))
            #expect(try await db.store.actionLog(taskID: claimed.id).map(\.error) == ["first", "second"])
        }
    }

    @Test("a worker that lost its lease cannot complete the task; the rest of its batch is written", arguments: StoreKind.available)
    func completionRequiresLease(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            _ = try await db.store.enqueue(task(at: t0), now: t0)
            let stale = try #require(try await db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: "frozen", leaseUntil: t0.addingTimeInterval(1), now: t0).first)
            let later = t0.addingTimeInterval(120)
            let policy = RetryPolicy(baseDelay: .zero)
            #expect(try await db.store.rescueExpiredLeases(now: later, policy: policy, limit: 10) == [stale.id])
            let fresh = try #require(try await db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: worker, leaseUntil: later.addingTimeInterval(60), now: later).first)
            #expect(fresh.id == stale.id)

            _ = try await db.store.enqueue(task(at: later), now: later)
            let held = try #require(try await db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: "frozen", leaseUntil: later.addingTimeInterval(60), now: later).first)

            let staleRecord = AttemptRecord(
                task: stale, workerID: "frozen", startedAt: t0, finishedAt: later, outcome: .completed(resultJSON: "{}"))
            let heldRecord = AttemptRecord(
                task: held, workerID: "frozen", startedAt: later, finishedAt: later, outcome: .completed(resultJSON: "{}"))
            #expect(try await db.store.finish([staleRecord]).isEmpty)
            #expect(try await db.store.finish([staleRecord, heldRecord]) == [held.id])
            #expect(try await db.store.extendLeases([stale.id: 1], workerID: "frozen", until: later) == [])
            #expect(try await db.store.task(id: stale.id)?.status == .processing)
            #expect(try await db.store.task(id: stale.id)?.lockedBy == worker)
            #expect(try await db.store.task(id: held.id)?.status == .completed)
            // The stale task's one row is the rescuer's; the refused result wrote none.
            #expect(try await db.store.actionLog(taskID: stale.id).map(\.workerID) == ["frozen"])
            #expect(try await db.store.actionLog(taskID: stale.id).map(\.error).first??.hasPrefix("lease expired") == true)
            #expect(try await db.store.actionLog(taskID: held.id).count == 1)
        }
    }

    @Test("the rescuer retries expired leases and fails them at the limit", arguments: StoreKind.available)
    func leaseExpiryRescue(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            var new = task(at: t0)
            new.maxRetries = 1
            let id = try await db.store.enqueue(new, now: t0).task.id
            let policy = RetryPolicy(baseDelay: .seconds(60))
            _ = try await db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: "crashed", leaseUntil: t0.addingTimeInterval(30), now: t0)

            #expect(try await db.store.rescueExpiredLeases(now: t0.addingTimeInterval(29), policy: policy, limit: 10).isEmpty)
            let rescueTime = t0.addingTimeInterval(31)
            #expect(try await db.store.rescueExpiredLeases(now: rescueTime, policy: policy, limit: 10) == [id])
            let rescued = try #require(try await db.store.task(id: id))
            #expect(rescued.status == .pending)
            #expect(rescued.retryCount == 1)
            #expect(rescued.scheduledFor == rescueTime.addingTimeInterval(60))
            #expect(rescued.lockedBy == nil)
            #expect(rescued.errorLog?.contains("lease expired: worker crashed") == true)

            let second = rescueTime.addingTimeInterval(60)
            _ = try await db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: "crashed", leaseUntil: second.addingTimeInterval(30), now: second)
            #expect(try await db.store.rescueExpiredLeases(now: second.addingTimeInterval(31), policy: policy, limit: 10) == [id])
            #expect(try await db.store.task(id: id)?.status == .failed)
            #expect(try await db.store.actionLog(taskID: id).count == 2)
        }
    }

    @Test("extending leases keeps running tasks from being rescued", arguments: StoreKind.available)
    func extendLeases(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let id = try await db.store.enqueue(task(at: t0), now: t0).task.id
            _ = try await db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: worker, leaseUntil: t0.addingTimeInterval(30), now: t0)
            #expect(try await db.store.extendLeases([id: 2], workerID: worker, until: t0.addingTimeInterval(90)) == [],
                    "attempt 1 runs: a renewal for attempt 2 is refused")
            #expect(try await db.store.extendLeases([id: 1], workerID: worker, until: t0.addingTimeInterval(90)) == [id])
            #expect(try await db.store.rescueExpiredLeases(now: t0.addingTimeInterval(60), policy: RetryPolicy(), limit: 10).isEmpty)
            #expect(try await db.store.task(id: id)?.lockedUntil == t0.addingTimeInterval(90))
        }
    }

    @Test("a rescued task claimed again by the same worker is not renewed for its earlier attempt", arguments: StoreKind.available)
    func renewalChecksAttempt(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let id = try await db.store.enqueue(task(at: t0), now: t0).task.id
            _ = try await db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: worker, leaseUntil: t0.addingTimeInterval(30), now: t0)
            let expired = t0.addingTimeInterval(31)
            #expect(try await db.store.rescueExpiredLeases(now: expired, policy: RetryPolicy(), limit: 10) == [id])
            let later = t0.addingTimeInterval(3_600)
            let again = try #require(try await db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: worker, leaseUntil: later.addingTimeInterval(30), now: later).first)
            #expect(again.attempt == 2)
            #expect(try await db.store.extendLeases([id: 1], workerID: worker, until: later.addingTimeInterval(90)) == [])
            #expect(try await db.store.task(id: id)?.lockedUntil == later.addingTimeInterval(30))
            #expect(try await db.store.extendLeases([id: 2], workerID: worker, until: later.addingTimeInterval(90)) == [id])
        }
    }

    @Test("release at shutdown returns tasks to pending without counting an attempt", arguments: StoreKind.available)
    func release(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let mine = try await db.store.enqueue(task(at: t0), now: t0).task.id
            _ = try await db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: worker, leaseUntil: t0.addingTimeInterval(30), now: t0)
            let other = try await db.store.enqueue(task(at: t0), now: t0).task.id
            _ = try await db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: "worker-b", leaseUntil: t0.addingTimeInterval(30), now: t0)

            #expect(try await db.store.release(ids: [mine, other], workerID: worker, now: t0) == 1)
            let released = try #require(try await db.store.task(id: mine))
            #expect(released.status == .pending && released.retryCount == 0 && released.lockedBy == nil)
            #expect(try await db.store.task(id: other)?.status == .processing)
        }
    }

    @Test("cancel takes pending tasks only; retry revives failed and cancelled ones", arguments: StoreKind.available)
    func cancelAndRetry(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let id = try await db.store.enqueue(task(at: t0.addingTimeInterval(3600)), now: t0).task.id
            #expect(try await db.store.cancel(id: id, now: t0).status == .cancelled)
            await #expect(throws: SchedulerError.invalidTransition(id: id, status: .cancelled, action: "cancel")) {
                try await db.store.cancel(id: id, now: t0)
            }
            let revived = try await db.store.retry(id: id, now: t0.addingTimeInterval(5))
            #expect(revived.status == .pending && revived.scheduledFor == t0.addingTimeInterval(5))
            await #expect(throws: SchedulerError.invalidTransition(id: id, status: .pending, action: "retry")) {
                try await db.store.retry(id: id, now: t0)
            }
            let missing = UUID()
            await #expect(throws: SchedulerError.taskNotFound(missing)) { try await db.store.cancel(id: missing, now: t0) }
            #expect(try await db.store.task(id: missing) == nil)
        }
    }

    @Test("claiming by id ignores scheduled_for but not status", arguments: StoreKind.available)
    func claimByID(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let id = try await db.store.enqueue(task(at: t0.addingTimeInterval(86_400)), now: t0).task.id
            let claimed = try await db.store.claim(id: id, workerID: worker, leaseUntil: t0.addingTimeInterval(60), now: t0)
            #expect(claimed?.status == .processing)
            #expect(try await db.store.claim(id: id, workerID: worker, leaseUntil: t0, now: t0) == nil)
        }
    }

    @Test("lists with filters, newest first", arguments: StoreKind.available)
    func listing(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let user = UUID()
            var a = task("noop", at: t0)
            a.userID = user
            let first = try await db.store.enqueue(a, now: t0).task
            let second = try await db.store.enqueue(task("other", at: t0), now: t0.addingTimeInterval(1)).task
            _ = try await db.store.cancel(id: second.id, now: t0)

            #expect(try await db.store.tasks(matching: TaskFilter()).map(\.id) == [second.id, first.id])
            #expect(try await db.store.tasks(matching: TaskFilter(status: .cancelled)).map(\.id) == [second.id])
            #expect(try await db.store.tasks(matching: TaskFilter(taskType: "noop")).map(\.id) == [first.id])
            #expect(try await db.store.tasks(matching: TaskFilter(userID: user)).map(\.id) == [first.id])
            #expect(try await db.store.tasks(matching: TaskFilter(limit: 1)).map(\.id) == [second.id])
            #expect(try await db.store.tasks(matching: TaskFilter(after: second.id)).map(\.id) == [first.id])
            #expect(try await db.store.tasks(matching: TaskFilter(status: .pending, userID: user)).map(\.id) == [first.id])
            #expect(try await db.store.tasks(matching: TaskFilter(status: .pending, taskType: "other")).isEmpty)
            #expect(try await db.store.tasks(matching: TaskFilter(status: .cancelled, taskType: "other")).map(\.id) == [second.id])
            for status in [TaskStatus.processing, .completed, .failed] {
                #expect(try await db.store.tasks(matching: TaskFilter(status: status)).isEmpty, "\(status)")
            }
            #expect(try await db.store.tasks(matching: TaskFilter(createdAfter: t0.addingTimeInterval(1))).map(\.id) == [second.id],
                "created at the bound is included")
            #expect(try await db.store.tasks(matching: TaskFilter(createdAfter: t0.addingTimeInterval(2))).isEmpty)
            #expect(try await db.store.tasks(matching: TaskFilter(status: .cancelled, createdAfter: t0, after: second.id)).isEmpty)
        }
    }

    @Test("migrations are idempotent", arguments: StoreKind.available)
    func migrationsIdempotent(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let applied = try await db.store.migrate()
            #expect(applied.isEmpty)
        }
    }

    @Test("the database rejects unknown priorities and statuses", arguments: StoreKind.available)
    func constraints(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            await #expect(throws: (any Error).self) {
                try await db.execute("INSERT INTO agent_tasks (task_type, agent_type, priority) VALUES ('noop', 'x', 'whenever')")
            }
            await #expect(throws: (any Error).self) {
                try await db.execute("INSERT INTO agent_tasks (task_type, agent_type, status) VALUES ('noop', 'x', 'sleeping')")
            }
        }
    }
}
