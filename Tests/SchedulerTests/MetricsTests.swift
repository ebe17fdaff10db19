import Foundation
import Scheduler
import TestSupport
import Testing

/// `GET /metrics` shows what the engine and the API did and what waits in the database,
/// behind the token unless told otherwise.
@Suite("Prometheus metrics", .timeLimit(.minutes(5)))
struct MetricsTests {
    /// The value of the sample `series` (name and labels as exposed), if present.
    func value(_ series: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test("a remote worker's attempt is timed like an in-process one", arguments: StoreKind.available)
    func remoteAttemptsTimed(kind: StoreKind) async throws {
        try await APIHarness.with(kind, configure: WorkerAPITests.remoteTypes) { _, client in
            _ = try await client.send(.post, "/tasks", body: #"{"task_type": "render"}"#)
            let claimed = try await client.send(.post, "/workers/claim", body: #"{"worker_id": "w", "task_types": ["render"]}"#)
            guard case .array(let tasks)? = claimed["tasks"], case .object(let task)? = tasks.first,
                case .string(let id)? = task["id"], case .string(let token)? = task["lease_token"]
            else { throw TestFailure("no task in \(claimed.text)") }
            let done = try await client.send(.post, "/tasks/\(id)/complete", body: #"{"lease_token": "\#(token)", "result": 1}"#)
            #expect(done.status == 200)
            let text = try await client.send(.get, "/metrics").text
            #expect(value(#"agent_scheduler_attempt_duration_seconds_count{task_type="render"}"#, in: text) == 1)
        }
    }

    @Test("task counters, histograms and queue gauges by task type", arguments: StoreKind.available)
    func counts(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            let store = harness.db.store
            let now = harness.clock.now
            _ = try await store.enqueue(NewTask(taskType: "noop", scheduledFor: now.addingTimeInterval(-30)), now: now)
            _ = try await store.enqueue(NewTask(taskType: "flaky", contextJSON: #"{"fail_times": 1}"#), now: now)
            let doomed = try await store.enqueue(NewTask(taskType: "greet", scheduledFor: now.addingTimeInterval(3600)), now: now)
            await harness.engine.processDueTasks()
            _ = try await client.send(.post, "/tasks/\(doomed.task.id.lowercasedString)/cancel")
            for name in ["made-up-1", "made-up-2"] {
                let stray = try await store.enqueue(NewTask(taskType: name, scheduledFor: now.addingTimeInterval(-60)), now: now)
                if name == "made-up-2" { _ = try await store.cancel(id: stray.task.id, now: now) }
            }
            _ = try await store.enqueue(NewTask(taskType: "noop", scheduledFor: now.addingTimeInterval(-90)), now: now)

            let reply = try await client.send(.get, "/metrics")
            #expect(reply.status == 200)
            let text = reply.text
            #expect(value(#"agent_scheduler_tasks_claimed_total{task_type="noop"}"#, in: text) == 1)
            #expect(value(#"agent_scheduler_tasks_completed_total{task_type="noop"}"#, in: text) == 1)
            #expect(value(#"agent_scheduler_tasks_retried_total{task_type="flaky"}"#, in: text) == 1)
            #expect(value(#"agent_scheduler_tasks_cancelled_total{task_type="greet"}"#, in: text) == 1)
            #expect(value(#"agent_scheduler_attempt_duration_seconds_count{task_type="noop"}"#, in: text) == 1)
            #expect(value(#"agent_scheduler_task_wait_seconds_bucket{task_type="noop",le="60.0"}"#, in: text) == 1)
            #expect(value(#"agent_scheduler_task_wait_seconds_bucket{task_type="noop",le="5.0"}"#, in: text) == 0,
                    "the noop task waited 30 s from its scheduled_for")
            #expect(value(#"agent_scheduler_queue_tasks{status="pending",task_type="flaky"}"#, in: text) == 1)
            #expect(value(#"agent_scheduler_queue_tasks{status="pending",task_type="noop"}"#, in: text) == 1)
            #expect(value(#"agent_scheduler_queue_tasks{status="pending",task_type="greet"}"#, in: text) == 0,
                    "a registered type without live tasks shows 0")
            let oldest = value(#"agent_scheduler_queue_oldest_due_age_seconds{task_type="noop"}"#, in: text) ?? 0
            #expect(abs(oldest - 90) < 0.01, "stored times keep milliseconds: \(oldest)")
            #expect(value(#"agent_scheduler_queue_oldest_due_age_seconds{task_type="flaky"}"#, in: text) == 0,
                    "the retry is not due yet")
            #expect(value(#"agent_scheduler_queue_tasks{status="pending",task_type="unregistered"}"#, in: text) == 1)
            #expect(value(#"agent_scheduler_tasks_cancelled_total{task_type="unregistered"}"#, in: text) == 1)
            #expect(!text.contains("made-up"), "types no handler runs share one label, so strangers cannot grow the series")
            #expect(text.contains("# HELP agent_scheduler_tasks_completed_total "))
            #expect(text.contains("# TYPE agent_scheduler_task_wait_seconds histogram"))
        }
    }

    @Test("a task scheduled for the year 1 runs and lands in the top wait bucket instead of trapping", arguments: StoreKind.available)
    func ancientTask(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            let ancient = Date(timeIntervalSince1970: -62_135_596_800)
            _ = try await harness.db.store.enqueue(NewTask(taskType: "noop", scheduledFor: ancient), now: harness.clock.now)
            #expect(await harness.engine.processDueTasks().count == 1)
            let text = try await client.send(.get, "/metrics").text
            #expect(value(#"agent_scheduler_task_wait_seconds_count{task_type="noop"}"#, in: text) == 1)
            #expect(value(#"agent_scheduler_task_wait_seconds_bucket{task_type="noop",le="+Inf"}"#, in: text) == 1)
        }
    }

    @Test("queue gauges are read at most every few seconds, and a type whose tasks are gone shows 0")
    func queueRefresh() async throws {
        try await APIHarness.with(.sqlite) { harness, client in
            let task = try await harness.db.store.enqueue(NewTask(taskType: "greet"), now: harness.clock.now).task
            let first = try await client.send(.get, "/metrics").text
            #expect(value(#"agent_scheduler_queue_tasks{status="pending",task_type="greet"}"#, in: first) == 1)
            _ = try await harness.db.store.cancel(id: task.id, now: harness.clock.now)
            let cached = try await client.send(.get, "/metrics").text
            #expect(value(#"agent_scheduler_queue_tasks{status="pending",task_type="greet"}"#, in: cached) == 1,
                    "a second scrape at once reuses the first read")
        }
    }

    @Test("/metrics needs the token when one is set, unless METRICS_PUBLIC")
    func authorization() async throws {
        try await APIHarness.with(.sqlite, token: "secret") { _, client in
            let anonymous = try await client.send(.get, "/metrics", authorization: .some(nil))
            let bearer = try await client.send(.get, "/metrics")
            #expect(anonymous.status == 401 && bearer.status == 200)
        }
        try await APIHarness.with(.sqlite, token: "secret", configure: { $0.metricsPublic = true }) { _, client in
            let metrics = try await client.send(.get, "/metrics", authorization: .some(nil))
            let tasks = try await client.send(.get, "/tasks", authorization: .some(nil))
            #expect(metrics.status == 200 && tasks.status == 401)
        }
    }
}
