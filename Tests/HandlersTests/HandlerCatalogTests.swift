import Foundation
import Handlers
import Scheduler
import TestSupport
import Testing

@Suite("Handler catalog")
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
}
