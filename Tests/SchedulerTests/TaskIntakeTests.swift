import Foundation
import TestSupport
import Testing

@testable import Scheduler

@Suite("Task intake", .timeLimit(.minutes(5)))
struct TaskIntakeTests {
    @Test("a batch with one refused task names it by its place and writes none", arguments: StoreKind.available)
    func refusedBatch(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let intake = TaskIntake(store: db.store, registry: try HandlerRegistry([NoopHandler()]))
            let batch = [NewTask(taskType: "noop"), NewTask(taskType: "nope"), NewTask(taskType: "noop")]
            do {
                _ = try await intake.enqueue(batch: batch)
                Issue.record("the batch was accepted")
            } catch let refused as TaskIntake.RefusedTask {
                #expect(refused.index == 1)
                #expect(refused.reason == .unknownTaskType("nope"))
            }
            #expect(try await db.store.tasks(matching: TaskFilter()).isEmpty)
            #expect(try await intake.enqueue(batch: [batch[0], batch[2]]).allSatisfy(\.created))
        }
    }

    @Test("with a webhook policy a private callback URL is refused; without a registry any type goes, but never a NUL",
          arguments: StoreKind.available)
    func checks(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let guarded = TaskIntake(store: db.store, registry: nil, webhooks: WebhookConfiguration())
            do {
                _ = try await guarded.enqueue(NewTask(taskType: "elsewhere", callbackURL: "http://127.0.0.1:9/done"))
                Issue.record("a loopback callback URL was accepted")
            } catch SchedulerError.invalidInput(let field, _) {
                #expect(field == "callback_url")
            }
            let open = TaskIntake(store: db.store, registry: nil)
            #expect(try await open.enqueue(NewTask(taskType: "elsewhere")).created, "a type run by another service")
            await #expect(throws: SchedulerError.self) { try await open.enqueue(NewTask(taskType: "else\u{0}where")) }
            #expect(try await db.store.tasks(matching: TaskFilter()).map(\.taskType) == ["elsewhere"])
        }
    }
}
