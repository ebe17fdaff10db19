import Foundation
import MCP
import TestSupport
import Testing

@testable import Scheduler
@testable import SchedulerMCP

/// A type that exists only so rows of it are not unroutable: agents must not see it.
private struct NotForAgentsHandler: TaskHandler {
    struct Context: Codable, Sendable {}
    struct Result: Encodable, Sendable {}
    static let taskType = "not_built_yet"
    static let taskDescription = "Not built yet."
    static let contextSchema = ContextSchema.anyObject("Anything.")
    static let offeredToAgents = false
    func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result { Result() }
}

/// What an agent reads back: the tools it is offered, how compact the stats are, and a
/// note when nothing runs the type it schedules or waits for.
@Suite("Agent tool answers", .timeLimit(.minutes(5)))
struct AgentToolAnswersTests {
    func tools(_ db: TestDatabase, clock: ManualClock) throws -> AgentTools {
        AgentTools(
            store: db.store, registry: try HandlerRegistry(testHandlers + [NotForAgentsHandler()]),
            configuration: SchedulerConfiguration(databaseURL: db.url), clock: clock, logger: TestDatabase.logger)
    }

    func call(_ tools: AgentTools, _ name: String, _ arguments: [String: MCP.Value] = [:]) async throws -> JSONValue {
        let result = try await tools.call(name, arguments: arguments, createdBy: "test")
        guard case .text(let text, _, _)? = result.content.first else { return .null }
        #expect(result.isError != true, "\(text)")
        return JSONValue(parsing: text) ?? .string(text)
    }

    @Test("types not offered to agents (placeholders) get no scheduling tool")
    func placeholdersLeftOut() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let names = try tools(db, clock: ManualClock.atThisSecond()).list().map(\.name)
            #expect(names.contains("enqueue_noop"))
            #expect(!names.contains("enqueue_not_built_yet"))
        }
    }

    @Test("scheduling or waiting for a type no engine has been seen for says so at once", arguments: StoreKind.available)
    func noEngineNote(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let clock = ManualClock.atThisSecond()
            let tools = try tools(db, clock: clock)
            let scheduled = try await call(tools, "enqueue_noop")
            guard case .object(let answer) = scheduled, case .object(let task)? = answer["task"], case .string(let id)? = task["id"]
            else { throw TestFailure("no task in \(scheduled)") }
            #expect(answer["note"] == .string("no engine is running noop tasks (none seen in the last 60 s): the task waits until one starts"))
            let waited = try await withDeadline(.seconds(10)) { try await call(tools, "wait_for_task", ["task_id": .string(id)]) }
            guard case .object(let wait) = waited else { throw TestFailure("\(waited)") }
            #expect(wait["final"] == .bool(false) && wait["note"] != nil, "\(waited)")

            try await db.store.recordWorker(WorkerSighting(workerID: "engine-1", kind: .engine, taskTypes: ["noop"], seenAt: clock.now))
            guard case .object(let seen) = try await call(tools, "enqueue_noop") else { throw TestFailure("no answer") }
            #expect(seen["note"] == nil, "an engine of noop was seen just now")
        }
    }

    @Test("queue_stats leaves out idle types and the per-minute series unless asked")
    func compactStats() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let clock = ManualClock.atThisSecond()
            let tools = try tools(db, clock: clock)
            _ = try await call(tools, "enqueue_noop")
            guard case .object(let compact) = try await call(tools, "queue_stats"),
                case .array(let types)? = compact["task_types"]
            else { throw TestFailure("no stats") }
            #expect(compact["minutes"] == nil)
            #expect(types.count == 1, "only noop has tasks: \(types)")
            guard case .object(let full) = try await call(tools, "queue_stats", ["per_minute": true]) else { throw TestFailure("no stats") }
            #expect(full["minutes"] != nil)
        }
    }
}
