import Foundation
import TestSupport
import Testing

@testable import Scheduler

/// Every committed transition publishes its event on the store's bus, on both
/// databases, and a change that did not apply publishes none.
@Suite("Task events", .timeLimit(.minutes(5)))
struct TaskEventTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let worker = "worker-a"
    let user = UUID()

    /// The events published while `body` runs.
    func events(of store: any TaskStore, _ body: () async throws -> Void) async throws -> [TaskEvent] {
        let subscription = store.events.subscribe(EventFilter())
        defer { subscription.cancel() }
        try await body()
        guard case .events(let events) = await subscription.next(timeout: .zero) else { return [] }
        return events
    }

    func record(_ task: AgentTask, _ outcome: AttemptRecord.Outcome, at time: Date) -> AttemptRecord {
        AttemptRecord(task: task, workerID: worker, startedAt: time, finishedAt: time.addingTimeInterval(1), outcome: outcome)
    }

    @Test("created, started, retry scheduled, then completed with the result", arguments: StoreKind.available)
    func lifecycle(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = db.store
            var task: AgentTask?
            let created = try await events(of: store) {
                task = try await store.enqueue(NewTask(taskType: "greet", userID: user, scheduledFor: t0), now: t0).task
            }
            let id = try #require(task).id
            #expect(created.map(\.kind) == [.created])
            #expect(created.first?.taskID == id && created.first?.userID == user && created.first?.taskType == "greet")
            #expect(created.first?.isLocal == true && created.first?.status == .pending)

            var claimed: [AgentTask] = []
            let started = try await events(of: store) {
                claimed = try await store.claim(
                    taskTypes: ["greet"], limit: 5, workerID: worker, leaseUntil: t0.addingTimeInterval(60), now: t0)
            }
            #expect(started.map(\.kind) == [.started])
            #expect(started.first?.attempt == 1 && started.first?.workerID == worker && started.first?.status == .processing)

            let retryAt = t0.addingTimeInterval(60)
            let retried = try await events(of: store) {
                try await store.finish([record(claimed[0], .retry(at: retryAt, error: "boom"), at: t0)])
            }
            #expect(retried.map(\.kind) == [.retryScheduled])
            #expect(retried.first?.details?.error == "boom" && retried.first?.details?.nextRunAt == retryAt)
            #expect(retried.first?.attempt == 1 && retried.first?.status == .pending)

            let again = try await store.claim(
                taskTypes: ["greet"], limit: 5, workerID: worker, leaseUntil: retryAt.addingTimeInterval(60), now: retryAt)
            let completed = try await events(of: store) {
                try await store.finish([record(again[0], .completed(resultJSON: #"{"greeting":"hi"}"#), at: retryAt)])
            }
            #expect(completed.map(\.kind) == [.completed])
            #expect(completed.first?.attempt == 2 && completed.first?.status == .completed)
            #expect(completed.first?.details?.resultJSON.flatMap(JSONValue.init(parsing:)) == .object(["greeting": .string("hi")]))
        }
    }

    @Test("failed, retried by hand, cancelled, released and progress each publish theirs", arguments: StoreKind.available)
    func otherTransitions(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = db.store
            let id = try await store.enqueue(NewTask(taskType: "noop", scheduledFor: t0), now: t0).task.id
            var claimed = try await store.claim(
                taskTypes: ["noop"], limit: 1, workerID: worker, leaseUntil: t0.addingTimeInterval(60), now: t0)
            let progress = TaskProgress(fraction: 0.5, message: "half", attempt: 1, updatedAt: t0)
            let reported = try await events(of: store) {
                let saved = try await store.saveProgress(progress, taskID: id, workerID: worker)
                let savedByStranger = try await store.saveProgress(progress, taskID: id, workerID: "someone-else")
                #expect(saved && !savedByStranger)
            }
            #expect(reported.map(\.kind) == [.progress])
            #expect(reported.first?.details?.progress?.message == "half")
            #expect(try await store.task(id: id)?.progressJSON.flatMap(TaskProgress.init(json:)) == progress)

            let failed = try await events(of: store) {
                try await store.finish([record(claimed[0], .failed(error: "no"), at: t0)])
            }
            #expect(failed.map(\.kind) == [.failed])
            #expect(failed.first?.details?.error == "no" && failed.first?.status == .failed)

            let retried = try await events(of: store) { _ = try await store.retry(id: id, now: t0) }
            #expect(retried.map(\.kind) == [.retried] && retried.first?.status == .pending)

            claimed = try await store.claim(
                taskTypes: ["noop"], limit: 1, workerID: worker, leaseUntil: t0.addingTimeInterval(60), now: t0)
            let released = try await events(of: store) {
                try await store.release(ids: [id], workerID: worker, now: t0)
            }
            #expect(released.map(\.kind) == [.released] && released.first?.status == .pending)

            let cancelled = try await events(of: store) { _ = try await store.cancel(id: id, now: t0) }
            #expect(cancelled.map(\.kind) == [.cancelled] && cancelled.first?.status == .cancelled)
            let refused = try await events(of: store) { _ = try? await store.cancel(id: id, now: t0) }
            #expect(refused.isEmpty, "a refused cancel publishes nothing")
        }
    }

    @Test("a lease rescue publishes rescued, and failed too at the retry limit", arguments: StoreKind.available)
    func rescue(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = db.store
            _ = try await store.enqueue(NewTask(taskType: "noop", scheduledFor: t0, maxRetries: 1), now: t0)
            _ = try await store.enqueue(NewTask(taskType: "noop", scheduledFor: t0, maxRetries: 0), now: t0)
            _ = try await store.claim(taskTypes: ["noop"], limit: 2, workerID: worker, leaseUntil: t0.addingTimeInterval(1), now: t0)
            let later = t0.addingTimeInterval(10)
            let rescued = try await events(of: store) {
                _ = try await store.rescueExpiredLeases(now: later, policy: RetryPolicy(), limit: 10)
            }
            #expect(rescued.filter { $0.kind == .rescued }.count == 2)
            #expect(rescued.filter { $0.kind == .failed }.count == 1)
            #expect(rescued.filter { $0.kind == .rescued && $0.status == .pending }.first?.details?.nextRunAt != nil)
            #expect(rescued.allSatisfy { $0.details?.error?.contains("lease expired") == true })
        }
    }

    @Test("a result whose lease moved on applies nothing and publishes nothing", arguments: StoreKind.available)
    func lostLease(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = db.store
            _ = try await store.enqueue(NewTask(taskType: "noop", scheduledFor: t0), now: t0)
            let claimed = try await store.claim(
                taskTypes: ["noop"], limit: 1, workerID: worker, leaseUntil: t0.addingTimeInterval(60), now: t0)
            var stale = record(claimed[0], .completed(resultJSON: "{}"), at: t0)
            stale.workerID = "worker-b"
            let published = try await events(of: store) { _ = try await store.finish([stale]) }
            #expect(published.isEmpty)
        }
    }
}
