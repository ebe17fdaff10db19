import Configuration
import Foundation
import TestSupport
import Testing

@testable import Scheduler
@testable import SchedulerPostgres
@testable import SchedulerService

/// Retention deletes finished work past its age, in batches, and never a live task.
@Suite("Retention", .timeLimit(.minutes(5)))
struct RetentionTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let day: TimeInterval = 86_400

    /// A task that ran once at `at` and ended with `outcome`.
    func finished(_ store: any TaskStore, at: Date, _ outcome: AttemptRecord.Outcome) async throws -> UUID {
        let task = try await store.enqueue(NewTask(taskType: "noop", scheduledFor: at), now: at).task
        let claimed = try #require(try await store.claim(id: task.id, workerID: "w", leaseUntil: at.addingTimeInterval(60), now: at))
        try await store.finish([AttemptRecord(task: claimed, workerID: "w", startedAt: at, finishedAt: at, outcome: outcome)])
        return task.id
    }

    @Test("finished tasks and log rows past their age go, live and recent ones stay; a dry run only counts", arguments: StoreKind.available)
    func prunes(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = db.store
            let old = now.addingTimeInterval(-40 * day)
            let oldCompleted = try await finished(store, at: old, .completed(resultJSON: "{}"))
            let oldFailed = try await finished(store, at: old, .failed(error: "x"))
            let twentyDaysFailed = try await finished(store, at: now.addingTimeInterval(-20 * day), .failed(error: "x"))
            let recent = try await finished(store, at: now.addingTimeInterval(-day), .completed(resultJSON: "{}"))
            let oldCancelled = try await store.enqueue(NewTask(taskType: "noop", scheduledFor: old), now: old).task.id
            _ = try await store.cancel(id: oldCancelled, now: old)
            let oldPending = try await store.enqueue(NewTask(taskType: "noop", scheduledFor: now.addingTimeInterval(day)), now: old).task.id
            let oldRunning = try await store.enqueue(NewTask(taskType: "noop", scheduledFor: old), now: old).task.id
            _ = try await store.claim(id: oldRunning, workerID: "gone", leaseUntil: old.addingTimeInterval(60), now: old)

            let pruner = Pruner(store: store, policy: RetentionPolicy(), clock: ManualClock(now), pause: .zero, logger: TestDatabase.logger)
            let dry = try await pruner.prune(dryRun: true)
            #expect(dry.deleted == ["completed_tasks": 2, "failed_tasks": 1, "action_log_rows": 2, "webhook_deliveries": 0])
            #expect(try await store.tasks(ids: [oldCompleted]).count == 1, "a dry run deletes nothing")

            let report = try await pruner.prune()
            #expect(report == Pruner.Report(deleted: dry.deleted, dryRun: false, yielded: false))
            let left = Set(try await store.tasks(ids: [oldCompleted, oldFailed, twentyDaysFailed, recent, oldCancelled, oldPending, oldRunning]).map(\.id))
            #expect(left == [twentyDaysFailed, recent, oldPending, oldRunning])
            #expect(try await store.actionLog(taskID: oldCompleted).isEmpty)
            #expect(try await store.actionLog(taskID: recent).count == 1)
            #expect(try await pruner.prune().deleted.values.allSatisfy { $0 == 0 })

            let nothing = Pruner(store: store, policy: .off, clock: ManualClock(now.addingTimeInterval(400 * day)), pause: .zero, logger: TestDatabase.logger)
            #expect(try await nothing.prune().deleted.isEmpty, "off keeps everything")
        }
    }

    @Test("a batch deletes at most its limit, oldest first", arguments: StoreKind.available)
    func batches(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            for offset in 0..<5 {
                _ = try await finished(db.store, at: now.addingTimeInterval(-Double(100 - offset) * day), .completed(resultJSON: "{}"))
            }
            let before = now.addingTimeInterval(-14 * day)
            #expect(try await db.store.prune(.finishedTasks, before: before, limit: 2) == 2)
            #expect(try await db.store.prune(.finishedTasks, before: before, limit: 2) == 2)
            #expect(try await db.store.prune(.finishedTasks, before: before, limit: 2) == 1)
            #expect(try await db.store.countPrunable(.finishedTasks, before: before) == 0)
        }
    }

    @Test("while another PostgreSQL instance prunes, a batch yields instead of waiting",
          .enabled(if: StoreKind.postgresAvailable, "needs PostgreSQL: run scripts/test"))
    func oneInstanceAtATime() async throws {
        try await TestDatabase.with(.postgres) { db in
            _ = try await finished(db.store, at: now.addingTimeInterval(-40 * day), .completed(resultJSON: "{}"))
            try await StoreFactory.withStore(url: db.url, bounds: TestDatabase.bounds, logger: TestDatabase.logger) { other in
                let holder = try #require((other as? BoundedTaskStore<PostgresTaskStore>)?.inner)
                try await holder.withTransaction { connection in
                    _ = try await connection.query(
                        "SELECT pg_advisory_xact_lock(hashtextextended('agent_scheduler.prune', 0))", logger: TestDatabase.logger
                    ).collect()
                    let yielded = try await db.store.prune(.finishedTasks, before: now, limit: 10)
                    #expect(yielded == nil)
                }
            }
            #expect(try await db.store.prune(.finishedTasks, before: now, limit: 10) == 1)
        }
    }

    @Test("retention settings read durations and off, and name a bad value")
    func settings() throws {
        #expect(RetentionPolicy.age(parsing: "off") == .some(nil))
        #expect(RetentionPolicy.age(parsing: "14d") == .some(14 * 86_400))
        #expect(RetentionPolicy.age(parsing: "forever") == nil)
        func read(_ environment: [String: String]) throws(ConfigurationError) -> RetentionPolicy {
            try SchedulerConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
                .retention
        }
        #expect(try read([:]) == RetentionPolicy(completed: 14 * day, failed: 30 * day, log: 30 * day))
        #expect(try read(["RETENTION_COMPLETED": "7d", "RETENTION_LOG": "off"]) == RetentionPolicy(completed: 7 * day, failed: 30 * day, log: nil))
        #expect {
            try read(["RETENTION_FAILED": "soon"])
        } throws: { error in
            "\(error)".contains("RETENTION_FAILED (--retention-failed) has the invalid value 'soon': expected off, or a whole number and a unit")
        }
    }
}
