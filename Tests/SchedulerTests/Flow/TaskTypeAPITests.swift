import Foundation
import Scheduler
import TestSupport
import Testing

/// `GET /task-types`, pause and resume over HTTP, and what `/health` and `/stats` show
/// of them.
@Suite("Task types over HTTP", .timeLimit(.minutes(5)))
struct TaskTypeAPITests {
    @Test("pausing a type holds its tasks back, shows in /health and /stats, and resuming lets them run", arguments: StoreKind.available)
    func pauseOverHTTP(kind: StoreKind) async throws {
        try await APIHarness.with(kind, configure: { configuration in
            configuration.taskLimits = TaskLimits(["noop": TaskLimit(concurrency: 4, rate: TaskLimit.Rate(starts: 60, period: 60))])
        }) { harness, client in
            let listed = try await client.send(.get, "/task-types")
            #expect(listed.status == 200)
            #expect(Self.entry("noop", in: listed["task_types"])?["limit"]
                == .object(["concurrency": .number(4), "rate": .string("60/1m")]))
            #expect(Self.entry("greet", in: listed["task_types"])?["paused"] == .bool(false))

            let paused = try await client.send(.post, "/task-types/noop/pause")
            #expect(paused.status == 200)
            #expect(paused["paused"] == .bool(true))
            #expect(try await client.send(.post, "/task-types/noop/pause")["paused"] == .bool(true), "pausing again is harmless")

            let created = try await client.send(.post, "/tasks", body: #"{"task_type":"noop","agent_type":"test"}"#)
            #expect(created.status == 201)
            #expect(await harness.engine.processDueTasks().isEmpty, "a paused type is not claimed")

            let health = try await client.send(.get, "/health")
            #expect(health["pausedTaskTypes"] == .array([.string("noop")]))
            let stats = try await client.send(.get, "/stats")
            let noop = try #require(Self.entry("noop", in: stats["task_types"]), "no noop in /stats: \(stats.text)")
            #expect(noop["paused"] == .bool(true))
            #expect(noop["pending"] == .number(1))
            #expect(noop["limit"] == .object(["concurrency": .number(4), "rate": .string("60/1m")]))

            let resumed = try await client.send(.post, "/task-types/noop/resume")
            #expect(resumed["paused"] == .bool(false))
            #expect(await harness.engine.processDueTasks().count == 1)
            #expect(try await client.send(.get, "/health")["pausedTaskTypes"] == .array([]))
        }
    }

    @Test("GET /task-types gives each type's description, context schema, defaults and whether it needs a user", arguments: StoreKind.available)
    func profiles(kind: StoreKind) async throws {
        let schema: JSONValue = ["type": "object", "required": ["url"], "properties": ["url": ["type": "string"]]]
        try await APIHarness.with(kind, configure: { configuration in
            configuration.maxRetries = 5
            configuration.taskTypes = [
                TaskTypeDeclaration(
                    name: "transcribe", remote: true, description: "Turns audio into text.",
                    contextSchema: try? JSONSchema(schema), maxRetries: 2, lease: .seconds(90)),
                TaskTypeDeclaration(name: "render", remote: true),
            ]
        }) { _, client in
            let listed = try await client.send(.get, "/task-types")
            let greet = try #require(Self.entry("greet", in: listed["task_types"]))
            #expect(greet["description"] == .string(GreetHandler.taskDescription))
            #expect(greet["context_schema"] == GreetHandler.contextSchema.document)
            #expect(greet["requires_user"] == .bool(false))
            #expect(greet["remote"] == .bool(false))
            #expect(greet["defaults"] == ["priority": "medium", "max_retries": 5, "timeout_seconds": 300])

            let transcribe = try #require(Self.entry("transcribe", in: listed["task_types"]))
            #expect(transcribe["description"] == "Turns audio into text.")
            #expect(transcribe["context_schema"] == schema)
            #expect(transcribe["defaults"] == ["priority": "medium", "max_retries": 2, "lease_seconds": 90])
            let render = try #require(Self.entry("render", in: listed["task_types"]))
            #expect(render["context_schema"] == ["type": "object"], "a remote type declared without a schema takes any object")
        }
    }

    /// The object of `type` in a `task_types` array.
    static func entry(_ type: String, in list: JSONValue?) -> [String: JSONValue]? {
        guard case .array(let items)? = list else { return nil }
        for case .object(let fields) in items where fields["task_type"] == .string(type) { return fields }
        return nil
    }

    @Test("pausing or resuming a type nobody runs or declares is a 404 naming it", arguments: StoreKind.available)
    func unknownType(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { _, client in
            for action in ["pause", "resume"] {
                let reply = try await client.send(.post, "/task-types/nope/\(action)")
                #expect(reply.status == 404)
                #expect(reply.errorCode == "task_type_not_found")
                #expect(reply.errorMessage.contains("'nope'"))
            }
            #expect(try await client.send(.get, "/health")["pausedTaskTypes"] == .array([]))
        }
    }
}
