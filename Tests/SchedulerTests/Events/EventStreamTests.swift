import Foundation
import Scheduler
import TestSupport
import Testing

/// `GET /events`, `GET /tasks/{id}/events` and `GET /tasks/{id}?wait=` over a real port,
/// on both databases; every event's data is held to openapi.yaml's TaskEvent.
@Suite("Event streams over HTTP", .timeLimit(.minutes(5)))
struct EventStreamTests {
    /// Reads events until one named `name` arrives; returns them all.
    func events(until name: String, from reader: inout SSEClient.Reader) async throws -> [SSEClient.Frame] {
        var seen: [SSEClient.Frame] = []
        while let frame = try await reader.nextEvent() {
            seen.append(frame)
            if frame.event == name { break }
        }
        return seen
    }

    func checkContract(_ frames: [SSEClient.Frame], _ harness: APIHarness, sourceLocation: SourceLocation = #_sourceLocation) {
        for frame in frames where frame.event?.hasPrefix("task.") == true && frame.event != "task.snapshot" {
            let problems = harness.contract.problems(schema: "TaskEvent", text: frame.data ?? "")
            #expect(problems.isEmpty, "\(problems)", sourceLocation: sourceLocation)
        }
    }

    func create(_ client: APIHarness.Client, _ body: String) async throws -> String {
        let reply = try await client.send(.post, "/tasks", body: body)
        guard case .string(let id)? = reply["id"] else { throw StreamTestError("no id in \(reply.text)") }
        return id
    }

    @Test("GET /events streams a task's life, filtered by type, with the token", arguments: StoreKind.available)
    func stream(kind: StoreKind) async throws {
        try await APIHarness.with(kind, token: "secret", live: true) { harness, client in
            try await withDeadline {
                let refused = try await SSEClient.withStream(port: client.port, path: "/events") { reader in reader.status }
                #expect(refused == 401)
                try await SSEClient.withStream(
                    port: client.port, path: "/events?task_type=greet", headers: client.streamHeaders()
                ) { reader in
                    #expect(reader.status == 200)
                    #expect(reader.headers.contains { $0.0.lowercased() == "content-type" && $0.1.hasPrefix("text/event-stream") })
                    let frame1 = try await reader.next()
                    #expect(frame1?.comment == "connected")
                    _ = try await create(client, #"{"task_type": "noop"}"#)
                    let id = try await create(client, #"{"task_type": "greet", "context": {"name": "Ada", "times": 2}}"#)
                    await harness.engine.processDueTasks()
                    let frames = try await events(until: "task.completed", from: &reader)
                    #expect(frames.map(\.event) == ["task.created", "task.started", "task.completed"])
                    #expect(frames.allSatisfy { $0.data?.contains(id) == true }, "only the greet task's events")
                    let ids = frames.compactMap { $0.id.flatMap(UInt64.init) }
                    #expect(ids.count == 3 && ids == ids.sorted() && Set(ids).count == 3)
                    #expect(frames.last?.data?.contains(#""result":{"greeting":"#) == true)
                    checkContract(frames, harness)
                }
            }
        }
    }

    @Test("the type filter passes only the kinds asked for", arguments: StoreKind.available)
    func kindFilter(kind: StoreKind) async throws {
        try await APIHarness.with(kind, live: true) { harness, client in
            try await withDeadline {
                try await SSEClient.withStream(port: client.port, path: "/events?type=task.completed,task.failed") { reader in
                    _ = try await create(client, #"{"task_type": "flaky", "context": {"fail_times": 1, "permanent": true}}"#)
                    _ = try await create(client, #"{"task_type": "noop"}"#)
                    await harness.engine.processDueTasks()
                    var names: Set<String> = []
                    while names.count < 2, let frame = try await reader.nextEvent() { names.insert(frame.event ?? "") }
                    #expect(names == ["task.completed", "task.failed"])
                }
            }
        }
    }

    @Test("unknown filter values are refused naming the parameter", arguments: StoreKind.available)
    func badFilters(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { _, client in
            for (query, parameter) in [
                ("type=task.finished", "type"), ("task_id=42", "task_id"), ("user_id=me", "user_id"), ("task_type=", "task_type"),
            ] {
                let reply = try await client.send(.get, "/events?\(query)")
                #expect(reply.status == 400 && reply.errorMessage.contains("'\(parameter)'"), "\(query): \(reply.text)")
            }
            let missing = try await client.send(.get, "/tasks/\(UUID().uuidString)/events")
            #expect(missing.status == 404)
            let malformed = try await client.send(.get, "/tasks/nope/events")
            #expect(malformed.status == 400)
        }
    }

    @Test("Last-Event-ID resumes after the last event seen; an id the server no longer keeps gets stream.reset",
          arguments: StoreKind.available)
    func resume(kind: StoreKind) async throws {
        try await APIHarness.with(kind, live: true) { harness, client in
            try await withDeadline {
                // A client streaming meanwhile keeps the server's recent events.
                let watcher = harness.db.store.events.subscribe(EventFilter())
                defer { watcher.cancel() }
                _ = try await create(client, #"{"task_type": "noop"}"#)
                let second = try await create(client, #"{"task_type": "noop"}"#)
                let first = harness.db.store.events.latestSequence - 1
                try await SSEClient.withStream(
                    port: client.port, path: "/events", headers: [("Last-Event-ID", "\(first)")]
                ) { reader in
                    let frame = try await reader.nextEvent()
                    #expect(frame?.id == "\(first + 1)" && frame?.data?.contains(second) == true)
                }
                try await SSEClient.withStream(port: client.port, path: "/events", headers: [("Last-Event-ID", "99999")]) { reader in
                    let frame2 = try await reader.nextEvent()
                    #expect(frame2?.event == "stream.reset")
                }
                let bad = try await SSEClient.withStream(
                    port: client.port, path: "/events", headers: [("Last-Event-ID", "yesterday")]) { reader in reader.status }
                #expect(bad == 400)
            }
        }
    }

    @Test("a quiet stream sends a comment every heartbeat", arguments: [StoreKind.sqlite])
    func heartbeat(kind: StoreKind) async throws {
        try await APIHarness.with(kind, live: true, configure: { $0.eventsHeartbeat = .milliseconds(50) }) { _, client in
            try await withDeadline {
                try await SSEClient.withStream(port: client.port, path: "/events") { reader in
                    let frame3 = try await reader.next()
                    #expect(frame3?.comment == "connected")
                    let frame4 = try await reader.next()
                    #expect(frame4?.comment == "keep-alive")
                    let frame5 = try await reader.next()
                    #expect(frame5?.comment == "keep-alive")
                }
            }
        }
    }

    @Test("a client that falls too far behind gets stream.dropped and the stream ends", arguments: [StoreKind.sqlite])
    func slowClient(kind: StoreKind) async throws {
        try await APIHarness.with(kind, live: true) { harness, client in
            try await withDeadline {
                try await SSEClient.withStream(port: client.port, path: "/events") { reader in
                    let frame6 = try await reader.next()
                    #expect(frame6?.comment == "connected")
                    let bus = harness.db.store.events
                    bus.publish((0...bus.clientQueueLimit).map { _ in
                        TaskEvent(
                            kind: .created, taskID: UUID(), taskType: "noop", userID: nil, status: .pending, attempt: nil,
                            workerID: nil, details: nil)
                    })
                    let last = try await events(until: "stream.dropped", from: &reader).last
                    #expect(last?.event == "stream.dropped" && last?.data?.contains("too slowly") == true)
                    let frame7 = try await reader.next()
                    #expect(frame7 == nil, "the stream ends after stream.dropped")
                    #expect(bus.subscriberCount == 0)
                }
            }
        }
    }

    @Test("GET /tasks/{id}/events: the snapshot, the task's events, and the end after its final state",
          arguments: StoreKind.available)
    func taskStream(kind: StoreKind) async throws {
        try await APIHarness.with(kind, live: true) { harness, client in
            try await withDeadline {
                let id = try await create(client, #"{"task_type": "flaky", "context": {"fail_times": 1}, "max_retries": 0}"#)
                _ = try await create(client, #"{"task_type": "noop"}"#)
                try await SSEClient.withStream(port: client.port, path: "/tasks/\(id)/events") { reader in
                    let snapshot = try await reader.nextEvent()
                    #expect(snapshot?.event == "task.snapshot" && snapshot?.data?.contains(#""status":"pending""#) == true)
                    let snapshotProblems = harness.contract.problems(schema: "Task", text: snapshot?.data ?? "")
                    #expect(snapshotProblems.isEmpty, "\(snapshotProblems)")
                    await harness.engine.processDueTasks()
                    var frames: [SSEClient.Frame] = []
                    while let frame = try await reader.nextEvent() { frames.append(frame) }
                    #expect(frames.map(\.event) == ["task.started", "task.failed"])
                    #expect(frames.last?.data?.contains("transient failure on attempt 1") == true)
                    checkContract(frames, harness)
                }
                try await SSEClient.withStream(port: client.port, path: "/tasks/\(id)/events") { reader in
                    var frames: [SSEClient.Frame] = []
                    while let frame = try await reader.nextEvent() { frames.append(frame) }
                    #expect(frames.map(\.event) == ["task.snapshot"], "a final task gets its snapshot and the end")
                }
            }
        }
    }

    @Test("GET /tasks/{id}?wait= answers as soon as the task is final", arguments: StoreKind.available)
    func waitForFinal(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            try await withDeadline {
                let id = try await create(client, #"{"task_type": "noop"}"#)
                let waiting = Task { try await client.send(.get, "/tasks/\(id)?wait=30") }
                // The waiter subscribes before it reads; once it is subscribed, finish the task.
                while harness.db.store.events.subscriberCount == 0 { await Task.yield() }
                await harness.engine.processDueTasks()
                let reply = try await waiting.value
                #expect(reply.status == 200 && reply["status"] == .string("completed"))
                let now = try await client.send(.get, "/tasks/\(id)?wait=0")
                #expect(now["status"] == .string("completed"))
                for bad in ["-1", "soon", "1.5"] {
                    let refused = try await client.send(.get, "/tasks/\(id)?wait=\(bad)")
                    #expect(refused.status == 400 && refused.errorMessage.contains("'wait'"))
                }
                let missing = try await client.send(.get, "/tasks/\(UUID().uuidString)?wait=1")
                #expect(missing.status == 404)
            }
        }
    }
}

struct StreamTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
