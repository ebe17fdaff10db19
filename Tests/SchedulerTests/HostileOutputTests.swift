import Foundation
import TestSupport
import Testing

@testable import Scheduler

/// Says what it is told with every `|` made a NUL character: handlers pass on text from
/// other systems, and PostgreSQL refuses a NUL in text and in JSON.
struct EchoHandler: TaskHandler {
    struct Context: Codable, Sendable {
        var text: String
        var fail: Bool
    }

    struct Result: Encodable, Sendable {
        var echo: String
    }

    static let taskType = "echo"
    static let taskDescription = "Echoes its text."
    static let contextSchema = ContextSchema.object([.string("text", "What to echo.", required: true), .boolean("fail", "Whether to fail with it.", required: true)])

    func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        let text = context.text.replacingOccurrences(of: "|", with: "\0")
        invocation.reportProgress(0.5, message: text)
        if context.fail { throw HandlerError.permanent(text) }
        return Result(echo: text)
    }
}

/// What handlers return and throw is stored whatever it holds, and a bad one never holds
/// back the results written with it.
@Suite("Hostile handler output", .timeLimit(.minutes(5)))
struct HostileOutputTests {
    @Test("a NUL in a result, an error or a progress message is stored as U+FFFD, and the batch is written",
          arguments: StoreKind.available)
    func nulCharacters(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let harness = try EngineHarness(db, handlers: [EchoHandler(), NoopHandler()])
            let result = try await harness.enqueue("echo", context: #"{"text": "a|b", "fail": false}"#)
            let error = try await harness.enqueue("echo", context: #"{"text": "c|d", "fail": true}"#)
            let plain = try await harness.enqueue("noop")
            await harness.engine.processDueTasks()
            let completed = try #require(try await harness.task(result.id))
            #expect(completed.status == .completed)
            #expect(completed.resultJSON.flatMap(JSONValue.init(parsing:)) == .object(["echo": .string("a\u{FFFD}b")]))
            #expect(completed.progressJSON.flatMap(TaskProgress.init(json:))?.message == "a\u{FFFD}b")
            let failed = try #require(try await harness.task(error.id))
            #expect(failed.status == .failed && failed.errorLog?.hasSuffix("c\u{FFFD}d") == true, "\(failed.errorLog ?? "")")
            #expect(try await harness.task(plain.id)?.status == .completed)
        }
    }

    @Test("a NUL a client sends is refused with 422 naming the field, on both databases", arguments: StoreKind.available)
    func nulInput(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            for (body, field) in [
                (#"{"task_type": "noop", "context": {"note": "x\u0000y"}}"#, "context"),
                (#"{"task_type": "noop", "idempotency_key": "k\u0000"}"#, "idempotency_key"),
                (#"{"task_type": "noop", "created_by": "\u0000"}"#, "created_by"),
            ] {
                let reply = try await client.send(.post, "/tasks", body: body)
                #expect(reply.status == 422 && reply.errorMessage.hasPrefix("invalid \(field): contains a NUL"), "\(body): \(reply.text)")
            }
            let escaped = try await client.send(.post, "/tasks", body: #"{"task_type": "noop", "context": {"note": "\\u0000"}}"#)
            #expect(escaped.status == 201, "a backslash followed by u0000 is text, not a NUL: \(escaped.text)")
            let listed = try await client.send(.get, "/tasks")
            guard case .array(let tasks)? = listed["tasks"] else { return }
            #expect(tasks.count == 1)
        }
    }
}
