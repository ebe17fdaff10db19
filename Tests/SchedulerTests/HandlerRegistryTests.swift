import Foundation
import Logging
import TestSupport
import Testing

@testable import Scheduler

@Suite("Handler registry", .timeLimit(.minutes(5)))
struct HandlerRegistryTests {
    @Test("a duplicate task type is a start-up error naming it")
    func duplicates() {
        #expect(throws: ConfigurationError.duplicateHandler("noop")) {
            try HandlerRegistry([NoopHandler(), GreetHandler(), NoopHandler()])
        }
    }

    @Test("validation names the problem with a context before it is enqueued")
    func validation() throws {
        let registry = try HandlerRegistry([GreetHandler()])
        #expect(throws: SchedulerError.unknownTaskType("nope")) {
            try registry.validate(taskType: "nope", contextJSON: "{}", userID: nil)
        }
        #expect(throws: SchedulerError.invalidContext(taskType: "greet", reason: "context field 'times' is missing")) {
            try registry.validate(taskType: "greet", contextJSON: #"{"name": "Ada"}"#, userID: nil)
        }
        #expect(throws: SchedulerError.invalidContext(taskType: "greet", reason: "context_json is not valid JSON")) {
            try registry.validate(taskType: "greet", contextJSON: "{name", userID: nil)
        }
        try registry.validate(taskType: "greet", contextJSON: #"{"name": "Ada", "times": 1, "extra": true}"#, userID: nil)
        try registry.validate(taskType: "greet", contextJSON: " \n\t{\"name\": \"Ada\", \"times\": 1}\r\n", userID: nil)
    }

    @Test("a handler's logger carries the task's id, type and attempt; the engine's logger stays as it was")
    func invocationLogger() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let task = try await db.store.enqueue(NewTask(taskType: "greet"), now: Date()).task
            var engineLogger = Logger(label: "engine") { StreamLogHandler.standardError(label: $0) }
            engineLogger[metadataKey: "worker_id"] = "w1"
            let invocation = TaskInvocation(task: task, startedAt: Date(), logger: engineLogger)
            #expect(invocation.logger[metadataKey: "task_id"] == "\(task.id.lowercasedString)")
            #expect(invocation.logger[metadataKey: "task_type"] == "greet")
            #expect(invocation.logger[metadataKey: "attempt"] == "1")
            #expect(invocation.logger[metadataKey: "worker_id"] == "w1")
            #expect(engineLogger[metadataKey: "task_id"] == nil)
        }
    }

    @Test("nested fields are named with their path")
    func nestedPath() throws {
        struct Nested: TaskHandler {
            struct Item: Codable, Sendable { var label: String }
            struct Context: Codable, Sendable { var items: [Item] }
            struct Result: Encodable, Sendable {}
            static let taskType = "nested"
            static let taskDescription = "Has a nested context."
            static let contextSchema = ContextSchema.anyObject("Items with labels.")
            func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result { Result() }
        }
        let registry = try HandlerRegistry([Nested()])
        #expect(throws: SchedulerError.invalidContext(taskType: "nested", reason: "context field 'items[1].label' is missing")) {
            try registry.validate(taskType: "nested", contextJSON: #"{"items": [{"label": "a"}, {}]}"#, userID: nil)
        }
    }

    @Test("probe fails its first fail_attempts attempts retryably, then completes; a bad duration is permanent",
          arguments: StoreKind.available)
    func probe(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let harness = try EngineHarness(db, handlers: [ProbeHandler()])
            let flaky = try await harness.enqueue("probe", context: #"{"fail_attempts": 2}"#).id
            let bad = try await harness.enqueue("probe", context: #"{"duration_ms": -5}"#).id
            await harness.engine.runUntilIdle()
            harness.clock.advance(by: .seconds(60))
            await harness.engine.runUntilIdle()
            harness.clock.advance(by: .seconds(120))
            await harness.engine.runUntilIdle()

            let done = try #require(try await harness.task(flaky))
            #expect(done.status == .completed && done.retryCount == 2)
            let result = try JSONDecoder().decode([String: Int].self, from: Data(try #require(done.resultJSON).utf8))
            #expect(result == ["attempt": 3])
            let log = try await db.store.actionLog(taskID: flaky)
            #expect(log.map(\.attempt) == [1, 2, 3])
            #expect(log.first?.error?.contains("attempt 1 of the first 2 fails on purpose") == true)

            let refused = try #require(try await harness.task(bad))
            #expect(refused.status == .failed && refused.retryCount == 0)
            #expect(refused.errorLog?.hasSuffix("context field 'duration_ms' must be from 0 to 3600000, not -5") == true)
        }
    }
}
