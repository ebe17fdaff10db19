import Foundation
import Handlers
import Scheduler
import TestSupport
import Testing

/// The branches of the agent handlers the end-to-end run does not show in detail.
@Suite("Agent handlers", .timeLimit(.minutes(5)))
struct HandlerBranchTests {
    func withFixtures(_ kind: StoreKind, _ body: (EngineHarness) async throws -> Void) async throws {
        try await TestDatabase.with(kind, modules: HandlerCatalog.schema) { db in
            try await Fixtures.loadSampleData(into: db)
            let harness = try EngineHarness(db, handlers: HandlerCatalog.all(for: db.store))
            harness.clock.set(Date().addingTimeInterval(1))
            try await body(harness)
        }
    }

    func enqueue(_ harness: EngineHarness, _ type: String, user: UUID?, context: String) async throws -> UUID {
        try await harness.db.store.enqueue(
            NewTask(taskType: type, agentType: "concierge", userID: user, scheduledFor: harness.clock.now, contextJSON: context),
            now: harness.clock.now
        ).task.id
    }

    func result(_ harness: EngineHarness, _ id: UUID) async throws -> [String: JSONValue] {
        let task = try #require(try await harness.task(id))
        #expect(task.status == .completed, "\(task.errorLog ?? "")")
        guard case .object(let object) = try #require(task.resultJSON.flatMap(JSONValue.init(parsing:))) else {
            Issue.record("result is not an object")
            return [:]
        }
        return object
    }

    @Test("an attempt that runs again after its result was lost writes its message or event once",
          arguments: StoreKind.available)
    func sideEffectsOnce(kind: StoreKind) async throws {
        let cases = [
            ("research_solution", #"{"description": "Find a Swiss patent lawyer"}"#, "events", "event_id"),
            ("schedule_followup", #"{"reason": "the intro to Charles"}"#, "messages", "message_id"),
            ("re_engagement_check", #"{"onboarding_context": "step 2"}"#, "messages", "message_id"),
        ]
        for (type, context, table, resultField) in cases {
            try await withFixtures(kind) { harness in
                let db = harness.db
                let id = try await enqueue(harness, type, user: Fixtures.ada, context: context)
                let before = try await db.query("SELECT CAST(count(*) AS TEXT) FROM \(table)", [])
                await harness.engine.runUntilIdle()
                let first = try await result(harness, id)[resultField]
                // The attempt's writes committed, its result did not (a crash before the
                // result write): the task is pending again with no action-log row.
                let key = placeholder(db, 1)
                try await db.execute("DELETE FROM agent_actions_log WHERE CAST(context_id AS TEXT) = '\(id.lowercasedString)'")
                _ = try await db.query(
                    "UPDATE agent_tasks SET status = 'pending', result_json = NULL, completed_at = NULL WHERE CAST(id AS TEXT) = \(key)",
                    [id.lowercasedString])
                await harness.engine.runUntilIdle()

                #expect(try await result(harness, id)[resultField] == first, "\(type): a second \(table) row")
                let after = try await db.query("SELECT CAST(count(*) AS TEXT) FROM \(table)", [])
                #expect(Int(after[0][0] ?? "") == Int(before[0][0] ?? "")! + 1, "\(type) wrote \(table) twice")
                let followUps = try await db.query(
                    "SELECT CAST(count(*) AS TEXT) FROM agent_tasks WHERE created_by = 're_engagement_check'", [])
                #expect(followUps == [[type == "re_engagement_check" ? "1" : "0"]])
            }
        }
    }

    @Test("re_engagement_check nudges twice, one day apart, then pauses the conversation", arguments: StoreKind.available)
    func reEngagementChain(kind: StoreKind) async throws {
        try await withFixtures(kind) { harness in
            _ = try await enqueue(harness, "re_engagement_check", user: Fixtures.ada, context: #"{"onboarding_context": "step 2"}"#)
            var actions: [String] = []
            for day in 0..<3 {
                let records = await harness.engine.runUntilIdle()
                #expect(records.count == 1, "day \(day)")
                let object = try await result(harness, try #require(records.first).task.id)
                if case .string(let action) = object["action"] { actions.append(action) }
                if day < 2 { #expect(object["attempt"] == .number(Double(day + 1))) }
                harness.clock.advance(by: .seconds(24 * 3600))
            }
            #expect(actions == ["nudged", "nudged", "paused"])

            let conversation = try await harness.db.query(
                "SELECT status FROM conversations WHERE CAST(id AS TEXT) = \(placeholder(harness.db, 1))",
                [Fixtures.adaConversation.uuidString.lowercased()])
            #expect(conversation == [["paused"]])
            let notes = try await harness.db.query(
                "SELECT content FROM messages WHERE role = 'system' ORDER BY created_at", [])
            #expect(notes.count == 2)
            #expect(notes.first?.first??.contains("check 1 of 2") == true)
            #expect(notes.last?.first??.contains("check 2 of 2") == true)
            #expect(await harness.engine.runUntilIdle().isEmpty)
        }
    }

    @Test("re_engagement_check skips a user without an active conversation", arguments: StoreKind.available)
    func reEngagementWithoutConversation(kind: StoreKind) async throws {
        try await withFixtures(kind) { harness in
            let id = try await enqueue(harness, "re_engagement_check", user: Fixtures.katherine, context: "{}")
            await harness.engine.runUntilIdle()
            #expect(try await result(harness, id)["reason"] == .string("no active conversation"))
            #expect(try await harness.db.store.tasks(matching: TaskFilter(status: .pending)).isEmpty)
        }
    }

    @Test("research_solution publishes the event the research workflow reads", arguments: StoreKind.available)
    func researchEvent(kind: StoreKind) async throws {
        try await withFixtures(kind) { harness in
            let id = try await enqueue(
                harness, "research_solution", user: Fixtures.ada,
                context: #"{"description": " Swiss patent lawyer ", "category": "legal", "urgency": "high"}"#)
            await harness.engine.runUntilIdle()
            let eventID = try await result(harness, id)["event_id"]
            let rows = try await harness.db.query(
                "SELECT CAST(id AS TEXT), CAST(payload AS TEXT), created_by FROM events", [])
            let row = try #require(rows.first)
            #expect(eventID == .string(try #require(row[0])))
            #expect(row[2] == "task_processor")
            let payload = try #require(row[1].flatMap(JSONValue.init(parsing:)))
            #expect(payload == .object([
                "user_id": .string(Fixtures.ada.uuidString.lowercased()),
                "description": .string("Swiss patent lawyer"),
                "category": .string("legal"),
                "urgency": .string("high"),
                "task_id": .string(id.uuidString.lowercased()),
            ]))
        }
    }

    @Test("update_user_profile clears a field with null and writes nothing when a field is refused", arguments: StoreKind.available)
    func profileUpdates(kind: StoreKind) async throws {
        try await withFixtures(kind) { harness in
            let cleared = try await enqueue(harness, "update_user_profile", user: Fixtures.ada, context: #"{"fields": {"company": null}}"#)
            let refused = try await enqueue(
                harness, "update_user_profile", user: Fixtures.ada,
                context: #"{"fields": {"title": "CEO", "id": "x", "verified": "true"}}"#)
            await harness.engine.runUntilIdle()
            #expect(try await result(harness, cleared)["updated_fields"] == .array([.string("company")]))
            let failed = try #require(try await harness.task(refused))
            #expect(failed.status == .failed)
            #expect(failed.errorLog?.contains("fields 'id', 'verified' may not be updated") == true)
            let user = try await harness.db.query(
                "SELECT company, title FROM users WHERE CAST(id AS TEXT) = \(placeholder(harness.db, 1))",
                [Fixtures.ada.uuidString.lowercased()])
            #expect(user == [[nil, nil]])
        }
    }

    @Test("schedule_followup addresses the user by first name, or 'there' without one", arguments: StoreKind.available)
    func followupGreeting(kind: StoreKind) async throws {
        try await withFixtures(kind) { harness in
            try await harness.db.execute("UPDATE users SET first_name = NULL WHERE last_name = 'Lovelace'")
            let id = try await enqueue(
                harness, "schedule_followup", user: Fixtures.ada, context: #"{"reason": "your demo", "message": "Free Friday?"}"#)
            await harness.engine.runUntilIdle()
            let messageID = try await result(harness, id)["message_id"]
            let rows = try await harness.db.query(
                "SELECT CAST(id AS TEXT), content, role, direction, status FROM messages WHERE role = 'agent' AND status = 'pending'", [])
            #expect(rows.count == 1)
            #expect(messageID == .string(try #require(rows.first?[0] ?? nil)))
            #expect(Array(try #require(rows.first).dropFirst()) == ["Hi there, following up about your demo. Free Friday?", "agent", "outbound", "pending"])
        }
    }

    private func placeholder(_ db: TestDatabase, _ index: Int) -> String {
        db.kind == .postgres ? "$\(index)" : "?\(index)"
    }
}
