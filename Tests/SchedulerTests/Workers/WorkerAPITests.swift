import Foundation
import TestSupport
import Testing

@testable import Scheduler

/// The worker API over each database: remote task types, claims with lease tokens,
/// heartbeats, completion and failure with the in-process semantics, lost leases, and
/// the workers list.
@Suite("Worker API", .timeLimit(.minutes(5)))
struct WorkerAPITests {
    /// `transcribe` with a context schema and a default of 2 retries; `render` bare.
    static func remoteTypes(_ configuration: inout SchedulerConfiguration) {
        let schema = JSONValue(parsing: """
            {"type": "object", "required": ["audio_url"], "additionalProperties": false,
             "properties": {"audio_url": {"type": "string", "pattern": "^https?://"},
                            "language": {"type": "string", "enum": ["en", "de"]}}}
            """)!
        configuration.taskTypes = [
            TaskTypeDeclaration(name: "transcribe", remote: true, contextSchema: try! JSONSchema(schema), maxRetries: 2),
            TaskTypeDeclaration(name: "render", remote: true),
        ]
    }

    func enqueue(_ client: APIHarness.Client, _ body: String) async throws -> String {
        let reply = try await client.send(.post, "/tasks", body: body)
        #expect(reply.status == 201, "\(reply.text)")
        guard case .string(let id)? = reply["id"] else { throw TestFailure("no id in \(reply.text)") }
        return id
    }

    /// Claims as `worker`; returns the claimed tasks as objects.
    func claim(
        _ client: APIHarness.Client, worker: String, types: String = #"["transcribe"]"#, extra: String = ""
    ) async throws -> [[String: JSONValue]] {
        let reply = try await client.send(
            .post, "/workers/claim", body: #"{"worker_id": "\#(worker)", "task_types": \#(types)\#(extra)}"#)
        #expect(reply.status == 200, "\(reply.text)")
        guard case .array(let tasks)? = reply["tasks"] else { throw TestFailure("no tasks in \(reply.text)") }
        return tasks.compactMap { if case .object(let task) = $0 { task } else { nil } }
    }

    func token(_ task: [String: JSONValue]) throws -> String {
        guard case .string(let token)? = task["lease_token"] else { throw TestFailure("no lease_token in \(task)") }
        return token
    }

    @Test("a remote type is accepted at enqueue, checked against its schema, and never claimed in-process",
          arguments: StoreKind.available)
    func remoteTypesAtEnqueue(kind: StoreKind) async throws {
        try await APIHarness.with(kind, configure: Self.remoteTypes) { harness, client in
            let id = try await enqueue(client, #"{"task_type": "transcribe", "context": {"audio_url": "https://x/a.mp3"}}"#)
            let shown = try await client.send(.get, "/tasks/\(id)")
            #expect(shown["max_retries"] == .number(2), "the type's declared default")

            let missing = try await client.send(.post, "/tasks", body: #"{"task_type": "transcribe", "context": {}}"#)
            #expect(missing.status == 422)
            #expect(missing.errorMessage.contains("context.audio_url: is required"), "\(missing.text)")
            let wrong = try await client.send(
                .post, "/tasks", body: #"{"task_type": "transcribe", "context": {"audio_url": "https://x", "language": "fr"}}"#)
            #expect(wrong.status == 422)
            #expect(wrong.errorMessage.contains("context.language: must be one of \"en\", \"de\""), "\(wrong.text)")
            let pattern = try await client.send(
                .post, "/tasks", body: #"{"task_type": "transcribe", "context": {"audio_url": "ftp://x"}}"#)
            #expect(pattern.status == 422)
            #expect(pattern.errorMessage.contains("context.audio_url: must match the pattern ^https?://"), "\(pattern.text)")
            let extra = try await client.send(
                .post, "/tasks", body: #"{"task_type": "transcribe", "context": {"audio_url": "https://x", "x": 1}}"#)
            #expect(extra.status == 422)
            #expect(extra.errorMessage.contains("context.x: is not a known field"), "\(extra.text)")

            #expect(await harness.engine.processDueTasks().isEmpty, "the engine has no handler for transcribe")
            #expect(try await harness.db.store.task(id: UUID(uuidString: id)!)?.status == .pending)
            let now = try await client.send(.post, "/process-task", body: #"{"task_id": "\#(id)"}"#)
            #expect(now.status == 422)
            #expect(now.errorMessage.contains("remote workers run it"), "\(now.text)")
        }
    }

    @Test("a claimed task completes with the worker's result and one action-log row naming the worker",
          arguments: StoreKind.available)
    func claimAndComplete(kind: StoreKind) async throws {
        try await APIHarness.with(kind, configure: Self.remoteTypes) { harness, client in
            let id = try await enqueue(client, #"{"task_type": "transcribe", "context": {"audio_url": "https://x/a.mp3"}}"#)
            _ = try await enqueue(client, #"{"task_type": "noop"}"#)
            let tasks = try await claim(client, worker: "gpu-1", extra: #", "max": 5, "lease_seconds": 120"#)
            #expect(tasks.count == 1, "only the remote type's task")
            let task = try #require(tasks.first)
            #expect(task["id"] == .string(id))
            #expect(task["attempt"] == .number(1))
            #expect(task["context"] == .object(["audio_url": .string("https://x/a.mp3")]))
            let expires = Timestamp.string(from: harness.clock.now.addingTimeInterval(120))
            #expect(task["lease_expires_at"] == .string(expires))
            #expect(try await claim(client, worker: "gpu-2").isEmpty, "claimed once")

            let done = try await client.send(
                .post, "/tasks/\(id)/complete", body: #"{"lease_token": "\#(try token(task))", "result": {"text": "hi"}}"#)
            #expect(done.status == 200, "\(done.text)")
            #expect(done["status"] == .string("completed"))
            #expect(done["result"] == .object(["text": .string("hi")]))
            let log = try await harness.db.store.actionLog(taskID: UUID(uuidString: id)!)
            #expect(log.map(\.workerID) == ["gpu-1"])
            #expect(log.first?.error == nil)
            let counted = harness.engine.counters.snapshot
            #expect(counted.processed == 1 && counted.succeeded == 1, "the remote attempt is not in /health's counts")

            let again = try await client.send(
                .post, "/tasks/\(id)/complete", body: #"{"lease_token": "\#(try token(task))", "result": 1}"#)
            #expect(again.status == 409)
            #expect(again.errorCode == "lease_not_held")
            #expect(again.errorMessage.contains("the task is completed"), "\(again.text)")
            #expect(try await harness.db.store.actionLog(taskID: UUID(uuidString: id)!).count == 1, "nothing changed")
        }
    }

    @Test("a failure retries with the backoff, then fails for good at max_retries, as in-process",
          arguments: StoreKind.available)
    func failRetriesThenFails(kind: StoreKind) async throws {
        try await APIHarness.with(kind, configure: Self.remoteTypes) { harness, client in
            let id = try await enqueue(
                client, #"{"task_type": "render", "max_retries": 1, "context": {}}"#)
            let first = try #require(try await claim(client, worker: "w", types: #"["render"]"#).first)
            let retried = try await client.send(
                .post, "/tasks/\(id)/fail", body: #"{"lease_token": "\#(try token(first))", "error": "GPU out of memory"}"#)
            #expect(retried.status == 200, "\(retried.text)")
            #expect(retried["status"] == .string("pending"))
            #expect(retried["retry_count"] == .number(1))
            #expect(retried["scheduled_for"] == .string(Timestamp.string(from: harness.clock.now.addingTimeInterval(60))))
            #expect(try await claim(client, worker: "w", types: #"["render"]"#).isEmpty, "not due before the backoff")

            harness.clock.advance(by: .seconds(61))
            let second = try #require(try await claim(client, worker: "w", types: #"["render"]"#).first)
            #expect(second["attempt"] == .number(2))
            let failed = try await client.send(
                .post, "/tasks/\(id)/fail",
                body: #"{"lease_token": "\#(try token(second))", "error": "still out of memory"}"#)
            #expect(failed["status"] == .string("failed"))
            guard case .array(let errors)? = failed["errors"] else { throw TestFailure("no errors: \(failed.text)") }
            #expect(errors.count == 2)
            #expect(errors.last.map { "\($0)" }?.contains("attempt 2") == true)
            let log = try await harness.db.store.actionLog(taskID: UUID(uuidString: id)!)
            #expect(log.map(\.attempt) == [1, 2])
            #expect(log.map(\.error) == ["GPU out of memory", "still out of memory"])
        }
    }

    @Test("an expired lease is refused with 409, rescued, and the next worker's attempt completes once",
          arguments: StoreKind.available)
    func expiredLease(kind: StoreKind) async throws {
        try await APIHarness.with(kind, configure: Self.remoteTypes) { harness, client in
            let id = try await enqueue(client, #"{"task_type": "render"}"#)
            let lost = try #require(try await claim(client, worker: "a", types: #"["render"]"#, extra: #", "lease_seconds": 5"#).first)
            harness.clock.advance(by: .seconds(6))
            let late = try await client.send(
                .post, "/tasks/\(id)/heartbeat", body: #"{"lease_token": "\#(try token(lost))"}"#)
            #expect(late.status == 409)
            #expect(late.errorMessage.contains("the lease expired"), "\(late.text)")

            let rescued = try await harness.db.store.rescueExpiredLeases(
                now: harness.clock.now, policy: RetryPolicy(baseDelay: .zero), limit: 10)
            #expect(rescued == [UUID(uuidString: id)!])
            let next = try #require(try await claim(client, worker: "b", types: #"["render"]"#).first)
            #expect(next["attempt"] == .number(2))

            let stale = try await client.send(
                .post, "/tasks/\(id)/complete", body: #"{"lease_token": "\#(try token(lost))", "result": "a"}"#)
            #expect(stale.status == 409)
            #expect(stale.errorMessage.contains("another worker holds it now"), "\(stale.text)")
            let done = try await client.send(
                .post, "/tasks/\(id)/complete", body: #"{"lease_token": "\#(try token(next))", "result": "b"}"#)
            #expect(done["result"] == .string("b"))
            let log = try await harness.db.store.actionLog(taskID: UUID(uuidString: id)!)
            #expect(log.map(\.workerID) == ["a", "b"])
        }
    }

    @Test("a heartbeat renews the lease, stores progress, and tells the worker of a cancellation; its result is refused",
          arguments: StoreKind.available)
    func heartbeatAndCancel(kind: StoreKind) async throws {
        try await APIHarness.with(kind, configure: Self.remoteTypes) { harness, client in
            let id = try await enqueue(client, #"{"task_type": "render"}"#)
            let task = try #require(try await claim(client, worker: "w", types: #"["render"]"#, extra: #", "lease_seconds": 30"#).first)
            harness.clock.advance(by: .seconds(20))
            let beat = try await client.send(
                .post, "/tasks/\(id)/heartbeat",
                body: #"{"lease_token": "\#(try token(task))", "progress": {"fraction": 0.5, "message": "half"}}"#)
            #expect(beat.status == 200, "\(beat.text)")
            #expect(beat["cancel_requested"] == .bool(false))
            let renewed = Timestamp.string(from: harness.clock.now.addingTimeInterval(30))
            #expect(beat["lease_expires_at"] == .string(renewed), "renewed for the claim's lease_seconds")
            let shown = try await client.send(.get, "/tasks/\(id)")
            guard case .object(let progress)? = shown["progress"] else { throw TestFailure("no progress: \(shown.text)") }
            #expect(progress["fraction"] == .number(0.5))
            #expect(progress["message"] == .string("half"))

            let cancel = try await client.send(.post, "/tasks/\(id)/cancel")
            #expect(cancel.status == 202, "\(cancel.text)")
            #expect(cancel["status"] == .string("processing"))
            #expect(cancel["cancel_requested_at"] != nil)
            let told = try await client.send(.post, "/tasks/\(id)/heartbeat", body: #"{"lease_token": "\#(try token(task))"}"#)
            #expect(told["cancel_requested"] == .bool(true))

            let refused = try await client.send(
                .post, "/tasks/\(id)/complete", body: #"{"lease_token": "\#(try token(task))", "result": "late"}"#)
            #expect(refused.status == 409)
            #expect(refused.errorCode == "task_cancelled")
            let ended = try #require(try await harness.db.store.task(id: UUID(uuidString: id)!))
            #expect(ended.status == .cancelled)
            #expect(ended.resultJSON == nil, "the late result is not stored")
            let log = try await harness.db.store.actionLog(taskID: UUID(uuidString: id)!)
            #expect(log.count == 1)
            #expect(log.first?.error == "cancelled on request")
            #expect(log.first?.outputData == nil)
        }
    }

    @Test("bad worker calls get a 4xx naming the problem and change nothing", arguments: StoreKind.available)
    func badInput(kind: StoreKind) async throws {
        try await APIHarness.with(kind, configure: Self.remoteTypes) { harness, client in
            let id = try await enqueue(client, #"{"task_type": "render"}"#)
            let notRemote = try await client.send(.post, "/workers/claim", body: #"{"worker_id": "w", "task_types": ["noop"]}"#)
            #expect(notRemote.status == 422)
            #expect(notRemote.errorMessage.contains("'noop', which is not a remote task type (remote types: render, transcribe)"))
            let noTypes = try await client.send(.post, "/workers/claim", body: #"{"worker_id": "w", "task_types": []}"#)
            #expect(noTypes.errorMessage.contains("task_types"))
            let longWait = try await client.send(
                .post, "/workers/claim", body: #"{"worker_id": "w", "task_types": ["render"], "wait_seconds": 31}"#)
            #expect(longWait.status == 422)
            #expect(longWait.errorMessage.contains("wait_seconds"))

            let task = try #require(try await claim(client, worker: "w", types: #"["render"]"#).first)
            let garbled = try await client.send(.post, "/tasks/\(id)/complete", body: #"{"lease_token": "%%%", "result": 1}"#)
            #expect(garbled.status == 422)
            #expect(garbled.errorMessage.contains("lease_token"))
            let other = Data("1:30:w".utf8).base64EncodedString() + "." + String(repeating: "0", count: 64)
            let wrong = try await client.send(.post, "/tasks/\(id)/complete", body: #"{"lease_token": "\#(other)", "result": 1}"#)
            #expect(wrong.status == 409)
            let notJSON = try await client.send(.post, "/tasks/\(id)/complete", body: #"{"lease_token": "\#(try token(task))", "result": }"#)
            #expect(notJSON.status == 400)
            let noError = try await client.send(.post, "/tasks/\(id)/fail", body: #"{"lease_token": "\#(try token(task))"}"#)
            #expect(noError.status == 422)
            #expect(noError.errorMessage.contains("'error' is required"))
            let badProgress = try await client.send(
                .post, "/tasks/\(id)/heartbeat", body: #"{"lease_token": "\#(try token(task))", "progress": {"fraction": 2}}"#)
            #expect(badProgress.status == 422)
            #expect(badProgress.errorMessage.contains("progress.fraction"))
            let unchanged = try #require(try await harness.db.store.task(id: UUID(uuidString: id)!))
            #expect(unchanged.status == .processing)
            #expect(unchanged.progressJSON == nil)
            #expect(try await harness.db.store.actionLog(taskID: unchanged.id).isEmpty)
        }
    }

    @Test("a waiting claim returns as soon as a task is enqueued, woken rather than at the end of its wait",
          arguments: StoreKind.available)
    func longPoll(kind: StoreKind) async throws {
        try await APIHarness.with(kind, configure: Self.remoteTypes) { harness, client in
            try await withDeadline {
                let started = ContinuousClock.now
                async let claimed = claim(client, worker: "w", types: #"["render"]"#, extra: #", "wait_seconds": 30"#)
                while harness.engine.arrivals.waiting == 0 { await Task.yield() }
                _ = try await enqueue(client, #"{"task_type": "render"}"#)
                let tasks = try await claimed
                #expect(tasks.count == 1)
                #expect(ContinuousClock.now - started < .seconds(20), "woken, not timed out")
            }
        }
    }

    @Test("GET /workers lists engines and remote workers with tasks in flight, and shows the silent ones gone",
          arguments: StoreKind.available)
    func workersList(kind: StoreKind) async throws {
        try await APIHarness.with(kind, configure: Self.remoteTypes) { harness, client in
            try await harness.db.store.recordWorker(
                WorkerSighting(workerID: "engine-1", kind: .engine, taskTypes: ["noop"], seenAt: harness.clock.now))
            _ = try await enqueue(client, #"{"task_type": "render"}"#)
            harness.clock.advance(by: .seconds(30))
            _ = try await claim(client, worker: "gpu-1", types: #"["render", "transcribe"]"#)
            harness.clock.advance(by: .seconds(40))
            let reply = try await client.send(.get, "/workers")
            guard case .array(let workers)? = reply["workers"] else { throw TestFailure("no workers: \(reply.text)") }
            #expect(workers.count == 2)
            guard case .object(let remote)? = workers.first, case .object(let engine)? = workers.last else {
                throw TestFailure(reply.text)
            }
            #expect(remote["worker_id"] == .string("gpu-1"))
            #expect(remote["kind"] == .string("remote"))
            #expect(remote["status"] == .string("active"))
            #expect(remote["in_flight"] == .number(1))
            #expect(remote["task_types"] == .array([.string("render"), .string("transcribe")]))
            #expect(engine["worker_id"] == .string("engine-1"))
            #expect(engine["status"] == .string("gone"), "not seen for 70 s")
            #expect(engine["in_flight"] == .number(0))
        }
    }

    @Test("a heartbeat without lease_seconds renews the lease the claim asked for, not LEASE_SECONDS",
          arguments: StoreKind.available)
    func heartbeatKeepsClaimLease(kind: StoreKind) async throws {
        try await APIHarness.with(kind, configure: { configuration in
            Self.remoteTypes(&configuration)
            configuration.engine.lease = .seconds(2)
        }) { harness, client in
            _ = try await enqueue(client, #"{"task_type": "render"}"#)
            let task = try #require(try await claim(client, worker: "w", types: #"["render"]"#, extra: #", "lease_seconds": 60"#).first)
            guard case .string(let id)? = task["id"] else { throw TestFailure("no id") }
            harness.clock.advance(by: .seconds(10))
            let beat = try await client.send(.post, "/tasks/\(id)/heartbeat", body: #"{"lease_token": "\#(try token(task))"}"#)
            #expect(beat.status == 200, "\(beat.text)")
            let expected = Timestamp.string(from: harness.clock.now.addingTimeInterval(60))
            #expect(beat["lease_expires_at"] == .string(expected), "\(beat.text)")
        }
    }
}

/// A test's own failure with a message, for `throw` where `#require` does not fit.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }

}
