import Foundation
import Logging
import MCP
import Scheduler
import SchedulerMCP
import TestSupport
import Testing

/// The MCP tools on a real database, called through the official Swift SDK's client
/// over its in-memory transport: what an agent lists, schedules, follows and is refused.
@Suite("MCP tools", .timeLimit(.minutes(5)))
struct AgentToolsTests {
    /// A connected SDK client, the engine that runs what it schedules, and the clock.
    struct Harness {
        let client: MCP.Client
        let engine: Engine
        let clock: ManualClock
        let db: TestDatabase

        /// Calls `tool`; the answer's structured content and whether it is a tool error.
        func call(_ tool: String, _ arguments: [String: MCP.Value] = [:]) async throws -> (value: JSONValue, isError: Bool, text: String) {
            let (content, isError) = try await client.callTool(name: tool, arguments: arguments)
            guard case .text(let text, _, _)? = content.first else {
                Issue.record("\(tool) answered without text")
                return (.null, isError ?? false, "")
            }
            return (JSONValue(parsing: text) ?? .string(text), isError ?? false, text)
        }
    }

    static func with(_ kind: StoreKind, _ body: @Sendable (Harness) async throws -> Void) async throws {
        try await TestDatabase.with(kind) { db in
            let configuration = SchedulerConfiguration(databaseURL: db.url)
            let registry = try HandlerRegistry(testHandlers, declarations: [
                TaskTypeDeclaration(name: "render", remote: true, description: "Renders a page.")
            ])
            let clock = ManualClock.atThisSecond()
            let engine = Engine(
                store: db.store, registry: registry, configuration: EngineConfiguration(workerID: "mcp-test"), clock: clock,
                logger: TestDatabase.logger)
            let tools = AgentTools(
                store: db.store, registry: registry, configuration: configuration, clock: clock, logger: TestDatabase.logger)
            let (clientSide, serverSide) = await InMemoryTransport.createConnectedPair()
            let server = try await AgentToolServer.start(tools, on: serverSide)
            let client = MCP.Client(name: "tool-tester", version: "1.0")
            _ = try await client.connect(transport: clientSide)
            do {
                try await body(Harness(client: client, engine: engine, clock: clock, db: db))
            } catch {
                await client.disconnect()
                await server.stop()
                throw error
            }
            await client.disconnect()
            await server.stop()
        }
    }

    @Test("tools/list offers a scheduling tool per task type with its context schema, and the task tools", arguments: StoreKind.available)
    func listed(kind: StoreKind) async throws {
        try await Self.with(kind) { harness in
            let (tools, _) = try await harness.client.listTools()
            let names = Set(tools.map(\.name))
            #expect(names == [
                "enqueue_noop", "enqueue_flaky", "enqueue_greet", "enqueue_render",
                "get_task", "list_tasks", "wait_for_task", "cancel_task", "retry_task", "queue_stats",
            ])
            let greet = try #require(tools.first { $0.name == "enqueue_greet" })
            #expect(greet.description?.hasPrefix(GreetHandler.taskDescription) == true)
            let schema = JSONValue(greet.inputSchema)
            guard case .object(let object) = schema, case .object(let properties)? = object["properties"],
                case .object(var context)? = properties["context"]
            else {
                Issue.record("enqueue_greet's input schema is not an object with a context: \(schema)")
                return
            }
            #expect(context.removeValue(forKey: "description") != nil, "the context argument is described")
            #expect(JSONValue.object(context) == GreetHandler.contextSchema.document)
            #expect(object["required"] == ["context"], "greet's context has required fields; it needs no user")
            #expect(object["additionalProperties"] == false)
            #expect(Set(properties.keys) == ["context", "user_id", "run_at", "priority", "idempotency_key"])
            let render = try #require(tools.first { $0.name == "enqueue_render" })
            #expect(render.description?.hasPrefix("Renders a page.") == true)
        }
    }

    @Test("a scheduled task records who made it, runs when run_at says, and wait_for_task returns it final", arguments: StoreKind.available)
    func scheduleAndWait(kind: StoreKind) async throws {
        try await Self.with(kind) { harness in
            let scheduled = try await harness.call("enqueue_greet", [
                "context": ["name": "Ada", "times": 2], "run_at": "in 2 hours", "priority": "high", "idempotency_key": "greet-ada",
            ])
            #expect(!scheduled.isError, "\(scheduled.text)")
            let task = try #require(Self.record(scheduled.value, "task"))
            #expect(Self.field(scheduled.value, "created") == true)
            #expect(task["created_by"] == "mcp:tool-tester")
            #expect(task["agent_type"] == "mcp")
            #expect(task["priority"] == "high")
            #expect(task["scheduled_for"] == .string(Timestamp.string(from: harness.clock.now.addingTimeInterval(7_200))))
            let id = try #require(task["id"].flatMap { if case .string(let id) = $0 { id } else { nil } })

            let early = try await harness.call("wait_for_task", ["task_id": .string(id), "timeout_seconds": 0])
            #expect(Self.field(early.value, "final") == false)
            #expect(await harness.engine.processDueTasks().isEmpty, "not due for two hours")
            // A second past: the stored time is kept to the millisecond, the clock is not.
            harness.clock.advance(by: .seconds(7_201))
            #expect(await harness.engine.processDueTasks().count == 1)
            let done = try await harness.call("wait_for_task", ["task_id": .string(id)])
            #expect(Self.field(done.value, "final") == true)
            let finished = try #require(Self.record(done.value, "task"))
            #expect(finished["status"] == "completed")
            #expect(finished["result"] == ["greeting": "hello Ada hello Ada"])
            guard case .array(let attempts)? = finished["action_log"] else {
                Issue.record("no action_log in \(done.text)")
                return
            }
            #expect(attempts.count == 1)

            let again = try await harness.call("enqueue_greet", ["context": ["name": "Ada", "times": 2], "idempotency_key": "greet-ada"])
            #expect(Self.field(again.value, "created") == false)
            #expect(Self.record(again.value, "task").flatMap { $0["id"] } == .string(id))
        }
    }

    @Test("bad arguments are tool errors naming the argument; an unknown tool is a protocol error; the server keeps serving",
        arguments: StoreKind.available)
    func refusals(kind: StoreKind) async throws {
        try await Self.with(kind) { harness in
            let refusals: [(String, [String: MCP.Value], String)] = [
                ("enqueue_greet", ["context": ["name": "Ada", "times": "two"]], "'times'"),
                ("enqueue_greet", ["context": ["times": 2]], "'name'"),
                ("enqueue_greet", ["context": ["name": "Ada", "times": 1], "run_at": "soonish"], "'run_at'"),
                ("enqueue_greet", ["context": ["name": "Ada", "times": 1], "priority": "asap"], "'priority'"),
                ("enqueue_greet", ["context": ["name": "Ada", "times": 1], "user_id": "ada"], "'user_id'"),
                ("enqueue_greet", ["context": ["name": "Ada", "times": 1], "callback_url": "http://x"], "'callback_url'"),
                ("enqueue_greet", ["context": ["name": .string(String(repeating: "x", count: 1_100_000)), "times": 1]], "'context'"),
                ("wait_for_task", ["task_id": 42], "'task_id'"),
                ("wait_for_task", ["task_id": "3f1c8a52-0000-4000-8000-000000000000", "timeout_seconds": 9_999], "'timeout_seconds'"),
                ("get_task", [:], "'task_id'"),
                ("get_task", ["task_id": "3f1c8a52-0000-4000-8000-000000000000"], "3f1c8a52-0000-4000-8000-000000000000"),
                ("list_tasks", ["status": "stuck"], "'status'"),
                ("retry_task", ["task_id": "3f1c8a52-0000-4000-8000-000000000000"], "3f1c8a52"),
                ("queue_stats", ["verbose": true], "'verbose'"),
            ]
            for (tool, arguments, named) in refusals {
                let answer = try await harness.call(tool, arguments)
                #expect(answer.isError, "\(tool) \(arguments.keys.sorted()) was accepted: \(answer.text.prefix(200))")
                #expect(answer.text.contains(named), "\(tool)'s refusal does not name \(named): \(answer.text.prefix(300))")
            }
            await #expect(throws: MCPError.self) { _ = try await harness.client.callTool(name: "enqueue_nothing", arguments: [:]) }
            let (tools, _) = try await harness.client.listTools()
            #expect(tools.count == 10, "the server answers after bad input")
            let rows = try await harness.db.store.tasks(matching: TaskFilter())
            #expect(rows.isEmpty, "nothing refused was stored")
        }
    }

    @Test("cancel_task and retry_task act on a task and say so; list_tasks and queue_stats read the queue", arguments: StoreKind.available)
    func actOnTasks(kind: StoreKind) async throws {
        try await Self.with(kind) { harness in
            let scheduled = try await harness.call("enqueue_noop", ["run_at": "+1d"])
            let id = try #require(Self.record(scheduled.value, "task").flatMap { $0["id"] })
            let cancelled = try await harness.call("cancel_task", ["task_id": MCP.Value(id)])
            #expect(Self.record(cancelled.value, "task").flatMap { $0["status"] } == "cancelled")
            let cancelAgain = try await harness.call("cancel_task", ["task_id": MCP.Value(id)])
            #expect(cancelAgain.isError && cancelAgain.text.contains("cancelled"), "\(cancelAgain.text)")
            let retried = try await harness.call("retry_task", ["task_id": MCP.Value(id)])
            #expect(Self.record(retried.value, "task").flatMap { $0["status"] } == "pending")
            let listed = try await harness.call("list_tasks", ["status": "pending", "task_type": "noop"])
            guard case .array(let tasks)? = Self.field(listed.value, "tasks") else {
                Issue.record("list_tasks answered \(listed.text)")
                return
            }
            #expect(tasks.count == 1)
            let stats = try await harness.call("queue_stats")
            #expect(!stats.isError && Self.field(stats.value, "task_types") != nil, "\(stats.text.prefix(300))")
        }
    }

    private static func field(_ value: JSONValue, _ key: String) -> JSONValue? {
        guard case .object(let object) = value else { return nil }
        return object[key]
    }

    private static func record(_ value: JSONValue, _ key: String) -> [String: JSONValue]? {
        guard case .object(let object) = value, case .object(let inner)? = object[key] else { return nil }
        return inner
    }
}

/// `/mcp`'s sessions: opened by `initialize`, ended by `DELETE`, capped, and expired
/// when idle.
@Suite("MCP sessions over HTTP", .timeLimit(.minutes(5)))
struct AgentToolSessionsTests {
    static let initialize = Data(#"""
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
        """#.utf8)
    static let headers = ["Accept": "application/json, text/event-stream", "Content-Type": "application/json", "Host": "127.0.0.1:8080"]

    static func open(_ sessions: AgentToolSessions) async -> MCP.HTTPResponse {
        await sessions.handle(MCP.HTTPRequest(method: "POST", headers: headers, body: initialize, path: "/mcp"))
    }

    @Test("a session opens with initialize and ends with DELETE; others get 400 or 404; at the cap the least recently used ends")
    func lifecycle() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let clock = ManualClock.atThisSecond()
            let tools = AgentTools(
                store: db.store, registry: try HandlerRegistry(testHandlers), configuration: SchedulerConfiguration(databaseURL: db.url),
                clock: clock, logger: TestDatabase.logger)
            let sessions = AgentToolSessions(
                tools: tools, loopbackOnly: true, sessionLimit: 2, idleLimit: .seconds(60), clock: clock, logger: TestDatabase.logger)
            let first = await Self.open(sessions)
            #expect(first.statusCode == 200)
            let id = try #require(first.headers["MCP-Session-Id"])
            let second = await Self.open(sessions)
            #expect(second.statusCode == 200)
            let secondID = try #require(second.headers["MCP-Session-Id"])
            #expect(await sessions.count == 2)
            let list = Data(#"{"jsonrpc": "2.0", "id": 2, "method": "tools/list"}"#.utf8)
            let used = Self.headers.merging(["MCP-Session-Id": id, "MCP-Protocol-Version": "2025-06-18"]) { $1 }
            #expect(await sessions.handle(MCP.HTTPRequest(method: "POST", headers: used, body: list, path: "/mcp")).statusCode == 200)
            let third = await Self.open(sessions)
            #expect(third.statusCode == 200, "a third session beyond the cap of 2 ends the least recently used one")
            #expect(await sessions.count == 2)
            let evicted = Self.headers.merging(["MCP-Session-Id": secondID, "MCP-Protocol-Version": "2025-06-18"]) { $1 }
            #expect(await sessions.handle(MCP.HTTPRequest(method: "POST", headers: evicted, body: list, path: "/mcp")).statusCode == 404)

            let noSession = await sessions.handle(MCP.HTTPRequest(method: "POST", headers: Self.headers, body: list, path: "/mcp"))
            #expect(noSession.statusCode == 400)
            let unknown = await sessions.handle(MCP.HTTPRequest(
                method: "POST", headers: Self.headers.merging(["MCP-Session-Id": "nope"]) { $1 }, body: list, path: "/mcp"))
            #expect(unknown.statusCode == 404)

            let ended = await sessions.handle(MCP.HTTPRequest(
                method: "DELETE", headers: Self.headers.merging(["MCP-Session-Id": id, "MCP-Protocol-Version": "2025-06-18"]) { $1 },
                path: "/mcp"))
            #expect(ended.statusCode == 200)
            #expect(await sessions.count == 1)
            _ = third
            let foreign = await sessions.handle(MCP.HTTPRequest(
                method: "POST", headers: Self.headers.merging(["Host": "evil.example:8080"]) { $1 }, body: Self.initialize, path: "/mcp"))
            #expect(foreign.statusCode == 421, "a non-loopback Host is refused without a token (DNS rebinding)")
            #expect(await sessions.count == 1, "a refused initialize leaves no session")
            clock.advance(by: .seconds(61))
            #expect(await Self.open(sessions).statusCode == 200)
            #expect(await sessions.count == 1, "the idle session expired when this one opened")
            await sessions.closeAll()
            #expect(await sessions.count == 0)
        }
    }
}
