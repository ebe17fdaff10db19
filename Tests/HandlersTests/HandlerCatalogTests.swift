import Foundation
import Handlers
import Scheduler
import TestSupport
import Testing

@Suite("Handler catalog", .timeLimit(.minutes(5)))
struct HandlerCatalogTests {
    @Test("the executable's catalog registers noop, probe, the task processor's handlers and its placeholders, once each")
    func catalog() async throws {
        let registry = try await TestDatabase.with(.sqlite, modules: HandlerCatalog.schema) { db in try HandlerRegistry(HandlerCatalog.all(for: db.store)) }
        #expect(registry.taskTypes.count == 14)
        for type in [
            "noop", "probe", "research_solution", "schedule_followup", "update_user_profile", "re_engagement_check",
            "process_community_request", "notify_user_of_priorities", "solution_workflow_timeout",
            "create_conversation_summary", "intro_followup_check", "community_request_available",
            "send_introduction", "verify_user",
        ] {
            #expect(registry.contains(type), "\(type) is not registered")
        }
    }

    @Test("a placeholder fails permanently with 'handler not implemented'", arguments: StoreKind.available)
    func placeholder(kind: StoreKind) async throws {
        try await TestDatabase.with(kind, modules: HandlerCatalog.schema) { db in
            let harness = try EngineHarness(db, handlers: HandlerCatalog.all(for: db.store))
            let id = try await harness.enqueue("verify_user").id
            await harness.engine.runUntilIdle()
            let task = try #require(try await harness.task(id))
            #expect(task.status == .failed && task.retryCount == 0)
            #expect(task.errorLog?.hasSuffix("handler not implemented for task type 'verify_user'") == true)
            let log = try await db.store.actionLog(taskID: id)
            #expect(log.count == 1 && log.first?.actionType == "process_verify_user")
        }
    }

    @Test("a task certain to fail is refused at enqueue: a user-facing type without user_id, a field outside the allow-list")
    func enqueueValidation() async throws {
        let registry = try await TestDatabase.with(.sqlite, modules: HandlerCatalog.schema) { db in
            try HandlerRegistry(HandlerCatalog.all(for: db.store))
        }
        let user = UUID()
        for type in ["update_user_profile", "research_solution", "schedule_followup", "re_engagement_check"] {
            #expect(throws: SchedulerError.self) {
                try registry.validate(taskType: type, contextJSON: #"{"fields": {"email": "a@b.c"}, "reason": "x", "request": "x"}"#, userID: nil)
            }
        }
        do {
            try registry.validate(
                taskType: "update_user_profile", contextJSON: #"{"fields": {"password": "x", "email": "a@b.c"}}"#, userID: user)
            Issue.record("a field outside the allow-list was accepted")
        } catch {
            #expect(error.code == "invalid_context")
            #expect(error.description.contains("'password' may not be updated"))
        }
        do {
            try registry.validate(taskType: "update_user_profile", contextJSON: #"{"fields": {"email": "a@b.c"}}"#, userID: nil)
        } catch {
            #expect(error == .invalidInput(field: "user_id", reason: "is required: a 'update_user_profile' task is about a user"))
        }
        try registry.validate(taskType: "update_user_profile", contextJSON: #"{"fields": {"email": "a@b.c"}}"#, userID: user)
        try registry.validate(taskType: "verify_user", contextJSON: "{}", userID: nil)
    }
}
