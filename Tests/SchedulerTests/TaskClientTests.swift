import Foundation
import TestSupport
import Testing

@testable import Scheduler

/// A handler whose tasks are about a user and whose context has a rule its type cannot
/// express, to show the client refusing what `POST /tasks` refuses.
private struct RemindHandler: TaskHandler {
    struct Context: Codable, Sendable { var text: String }
    struct Result: Encodable, Sendable {}
    static let taskType = "remind"
    static let taskDescription = "Reminds a user."
    static let contextSchema = ContextSchema.object([.string("text", "The reminder.", required: true, nonBlank: true)])
    static let requiresUser = true

    static func validate(_ context: Context) throws {
        guard !context.text.isEmpty else { throw HandlerError.permanent("context field 'text' is empty") }
    }

    func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result { Result() }
}

@Suite("Typed enqueue", .timeLimit(.minutes(5)))
struct TaskClientTests {
    @Test("TaskClient enqueues a typed context, honours the idempotency key, and refuses what the API refuses",
          arguments: StoreKind.available)
    func typedEnqueue(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
            let client = TaskClient(store: db.store, clock: clock)
            let user = UUID()
            let at = clock.now.addingTimeInterval(3600)
            let first = try await client.enqueue(
                RemindHandler.self, context: .init(text: "call back"), userID: user, at: at, priority: .high,
                idempotencyKey: "remind-1")
            #expect(first.created && first.task.taskType == "remind")
            #expect(JSONValue(parsing: first.task.contextJSON) == .object(["text": .string("call back")]))
            #expect(first.task.scheduledFor == at && first.task.priority == .high && first.task.userID == user)
            let again = try await client.enqueue(
                RemindHandler.self, context: .init(text: "call back"), userID: user, idempotencyKey: "remind-1")
            #expect(!again.created && again.task.id == first.task.id)

            await #expect(throws: SchedulerError.invalidInput(field: "user_id", reason: "is required: a 'remind' task is about a user")) {
                try await client.enqueue(RemindHandler.self, context: .init(text: "x"))
            }
            await #expect(throws: SchedulerError.invalidContext(taskType: "remind", reason: "context field 'text' is empty")) {
                try await client.enqueue(RemindHandler.self, context: .init(text: ""), userID: user)
            }
            #expect(try await db.store.tasks(matching: TaskFilter()).count == 1)

            let batch = try await client.enqueue(batch: [
                try NewTask(RemindHandler.self, context: .init(text: "a"), userID: user),
                try NewTask(RemindHandler.self, context: .init(text: "b"), userID: user, idempotencyKey: "remind-1"),
            ])
            #expect(batch.map(\.created) == [true, false] && batch[1].task.id == first.task.id)
        }
    }

    @Test("an enqueue through TaskClient wakes this process's engine, as one through the API does: no caller has to remember",
          arguments: StoreKind.available)
    func enqueueWakesEngine(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let harness = try EngineHarness(db, handlers: [RemindHandler(), NoopHandler()])
            _ = await harness.engine.wake.wait(timeout: .zero)
            #expect(!harness.engine.wake.isPending)
            _ = try await TaskClient(store: db.store, clock: harness.clock)
                .enqueue(RemindHandler.self, context: .init(text: "call back"), userID: UUID())
            #expect(harness.engine.wake.isPending, "the engine would sleep until its next poll")
            _ = await harness.engine.wake.wait(timeout: .zero)
            let other = try await TaskClient(store: db.store, clock: harness.clock)
                .enqueue(batch: [NewTask(taskType: "someone_elses", scheduledFor: harness.clock.now)])
            #expect(other.count == 1 && !harness.engine.wake.isPending, "a type this engine does not run woke it")
        }
    }
}
