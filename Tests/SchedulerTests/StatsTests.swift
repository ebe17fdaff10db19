import Foundation
import Scheduler
import TestSupport
import Testing

/// `GET /stats` and the arithmetic behind it.
@Suite("Queue analytics", .timeLimit(.minutes(5)))
struct StatsTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func sample(_ type: String, _ outcome: String, run: Int, wait: Int?, minutesAgo: Double, worker: String = "w1") -> AttemptSample {
        AttemptSample(
            taskType: type, workerID: worker, outcome: outcome, runMs: run, waitMs: wait,
            finishedAt: now.addingTimeInterval(-minutesAgo * 60))
    }

    @Test("windows, percentiles, failure rate and workers from the attempts read")
    func arithmetic() {
        var attempts = (1...20).map { sample("a", "completed", run: $0 * 10, wait: $0, minutesAgo: Double($0) * 2.5) }
        attempts.append(sample("a", "retrying", run: 5, wait: nil, minutesAgo: 0.5, worker: "w2"))
        attempts.append(sample("a", "failed", run: 5, wait: 7, minutesAgo: 3, worker: "w2"))
        let stats = QueueStats(
            queue: [TypeQueue(taskType: "a", pending: 3, due: 2, processing: 1, oldestDue: now.addingTimeInterval(-42))],
            ended: [EndedCount(taskType: "a", failed: 4, cancelled: 1), EndedCount(taskType: "b", failed: 1)],
            attempts: AttemptSummary(samples: attempts, limit: 100, now: now), now: now)
        #expect(stats.taskTypes.map(\.taskType) == ["a", "b"])
        let a = stats.taskTypes[0]
        #expect(a.pending == 3 && a.due == 2 && a.processing == 1 && a.oldestDueAgeSeconds == 42)
        #expect(a.failed == 4 && a.cancelled == 1)
        #expect(a.completedLast == ["1m": 0, "5m": 1, "60m": 20])
        #expect(a.failedLast == ["1m": 0, "5m": 1, "60m": 1])
        #expect(a.attempts == 22 && a.failureRate == 2.0 / 22.0)
        #expect(a.runMs == QueueStats.Percentiles(p50: 90, p95: 190), "nearest rank over 22 run times")
        #expect(a.waitMs == QueueStats.Percentiles(p50: 10, p95: 19))
        #expect(stats.workers.map(\.workerID) == ["w1", "w2"])
        #expect(stats.workers[1].attempts == 2 && stats.workers[1].succeeded == 0 && stats.workers[1].meanRunMs == 5)
        #expect(stats.taskTypes[1].attempts == 0 && stats.taskTypes[1].runMs == nil)
        #expect(stats.attemptsRead == 22 && !stats.truncated)
        #expect(AttemptSummary(samples: attempts, limit: 22, now: now).truncated, "a read that took its limit may have missed some")
    }

    @Test("the hour minute by minute: counts, medians, and nothing from outside the hour")
    func minutes() {
        let attempts = [
            sample("a", "completed", run: 10, wait: 1, minutesAgo: 0.2), sample("b", "completed", run: 30, wait: 3, minutesAgo: 0.9),
            sample("a", "retrying", run: 20, wait: nil, minutesAgo: 0.5), sample("a", "completed", run: 7, wait: 70, minutesAgo: 1),
            sample("a", "failed", run: 5, wait: 9, minutesAgo: 59.9), sample("a", "completed", run: 5, wait: 9, minutesAgo: 60),
            sample("a", "completed", run: 5, wait: 9, minutesAgo: -0.1),
        ]
        let minutes = AttemptSummary(samples: attempts, limit: 100, now: now).minutes
        #expect(minutes.count == 60)
        #expect(minutes.first?.start == now.addingTimeInterval(-3600) && minutes.last?.start == now.addingTimeInterval(-60))
        #expect(minutes[59] == MinuteStats(
            start: now.addingTimeInterval(-60), completed: 2, failedAttempts: 1, waitMsP50: 1, runMsP50: 20))
        #expect(minutes[58] == MinuteStats(start: now.addingTimeInterval(-120), completed: 1, waitMsP50: 70, runMsP50: 7),
            "exactly a minute ago is the minute before")
        #expect(minutes[0] == MinuteStats(start: now.addingTimeInterval(-3600), failedAttempts: 1, waitMsP50: 9, runMsP50: 5))
        #expect(minutes[1..<58].allSatisfy { $0.completed == 0 && $0.failedAttempts == 0 && $0.runMsP50 == nil })
    }

    @Test("GET /stats reads the queue, the ended totals and the last hour's attempts", arguments: StoreKind.available)
    func endpoint(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            let store = harness.db.store
            let now = harness.clock.now
            _ = try await store.enqueue(NewTask(taskType: "noop", scheduledFor: now.addingTimeInterval(-5)), now: now)
            _ = try await store.enqueue(NewTask(taskType: "flaky", contextJSON: #"{"fail_times": 1, "permanent": true}"#), now: now)
            let later = try await store.enqueue(NewTask(taskType: "greet", scheduledFor: now.addingTimeInterval(600)), now: now)
            await harness.engine.processDueTasks()
            _ = try await store.cancel(id: later.task.id, now: now)
            _ = try await store.enqueue(NewTask(taskType: "noop", scheduledFor: now.addingTimeInterval(-20)), now: now)

            let reply = try await client.send(.get, "/stats")
            #expect(reply.status == 200)
            guard case .array(let types)? = reply["task_types"], case .array(let workers)? = reply["workers"] else {
                Issue.record("no task_types or workers in \(reply.text)")
                return
            }
            func type(_ name: String) -> [String: JSONValue] {
                for case .object(let entry) in types where entry["task_type"] == .string(name) { return entry }
                return [:]
            }
            let noop = type("noop")
            #expect(noop["pending"] == .number(1) && noop["due"] == .number(1))
            #expect(noop["completed_last"] == .object(["1m": .number(1), "5m": .number(1), "60m": .number(1)]))
            guard case .object(let wait)? = noop["wait_ms"], case .number(let p50)? = wait["p50"] else {
                Issue.record("no wait_ms in \(noop)")
                return
            }
            #expect((5000...5001).contains(p50), "stored times keep milliseconds: \(p50)")
            #expect(noop["failure_rate"] == .number(0))
            let flaky = type("flaky")
            #expect(flaky["failed"] == .number(1) && flaky["failure_rate"] == .number(1))
            #expect(flaky["failed_last"] == .object(["1m": .number(1), "5m": .number(1), "60m": .number(1)]))
            #expect(type("greet")["cancelled"] == .number(1))
            #expect(workers == [.object([
                "worker_id": .string("api-test"), "attempts": .number(2), "succeeded": .number(1),
                "mean_run_ms": .number(0), "last_finished_at": .string(Timestamp.string(from: now)),
            ])])
            #expect(reply["truncated"] == .bool(false) && reply["attempts_read"] == .number(2))
            guard case .array(let minutes)? = reply["minutes"], minutes.count == 60 else {
                Issue.record("no 60 minutes in \(reply.text)")
                return
            }
            guard case .object(var latest) = minutes[59], case .number(let waitP50)? = latest.removeValue(forKey: "wait_ms_p50") else {
                Issue.record("no wait in the current minute: \(minutes[59])")
                return
            }
            #expect(latest == [
                "start": .string(Timestamp.string(from: now.addingTimeInterval(-60))), "completed": .number(1),
                "failed_attempts": .number(1), "run_ms_p50": .number(0),
            ], "both attempts finished in the current minute")
            #expect((0...1).contains(waitP50), "the median of waits of 0 and 5,000 ms is the lower (stored to the ms): \(waitP50)")
            #expect(minutes[0] == .object([
                "start": .string(Timestamp.string(from: now.addingTimeInterval(-3600))), "completed": .number(0),
                "failed_attempts": .number(0),
            ]))
        }
    }
}
