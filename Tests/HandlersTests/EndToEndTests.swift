import Foundation
import Handlers
import Scheduler
import TestSupport
import Testing

/// The whole path another service relies on: fixtures loaded, sample tasks inserted with
/// plain SQL, the engine run until nothing is due (retries included), then every task's
/// final state and every effect on the domain checked.
@Suite("End to end", .timeLimit(.minutes(5)))
struct EndToEndTests {
    @Test("every sample task reaches its expected final state, with its domain effects", arguments: StoreKind.available)
    func sampleTasks(kind: StoreKind) async throws {
        try await TestDatabase.with(kind, modules: HandlerCatalog.schema) { db in
            try await Fixtures.loadSampleData(into: db)
            let samples = try Fixtures.sampleTasks()
            var ids: [UUID] = []
            for sample in samples { ids.append(try await Fixtures.insert(sample.task, into: db)) }

            let harness = try EngineHarness(db, handlers: HandlerCatalog.all(for: db.store))
            harness.clock.set(Date().addingTimeInterval(1))
            for _ in 0..<10 {
                await harness.engine.runUntilIdle()
                harness.clock.advance(by: .seconds(60))
            }

            for (sample, id) in zip(samples, ids) {
                let task = try #require(try await db.store.task(id: id), "\(sample.name)")
                let expect = sample.expect
                #expect(task.status == expect.status, "\(sample.name)")
                #expect(task.retryCount == expect.retryCount, "\(sample.name)")
                let log = try await db.store.actionLog(taskID: id)
                #expect(log.count == expect.attempts, "\(sample.name): action-log rows")
                #expect(log.map(\.attempt) == log.indices.map { $0 + 1 }, "\(sample.name)")
                if let error = expect.error {
                    let lastLine = task.errorLog?.split(separator: "\n").last.map(String.init) ?? ""
                    #expect(lastLine.contains(error), "\(sample.name): \(lastLine)")
                    #expect(log.allSatisfy { $0.error?.contains(error) == true }, "\(sample.name)")
                } else {
                    #expect(task.errorLog == nil, "\(sample.name): \(task.errorLog ?? "")")
                }
                if let expected = expect.result {
                    let result = try #require(task.resultJSON.flatMap(JSONValue.init(parsing:)), "\(sample.name)")
                    guard case .object(let object) = result else { Issue.record("\(sample.name): result \(result)"); continue }
                    for (key, value) in expected { #expect(object[key] == .string(value), "\(sample.name): \(key)") }
                }
            }
            try await checkDomain(db)
        }
    }

    private func checkDomain(_ db: TestDatabase) async throws {
        let ada = Fixtures.ada.uuidString.lowercased()
        let p = db.kind == .postgres ? "$" : "?"

        let profile = try await db.query("SELECT company, title FROM users WHERE id = \(param(1, db))", [ada])
        #expect(profile == [["Analytical Engines Ltd", "Founder"]])

        let events = try await db.query(
            "SELECT event_type, CAST(aggregate_id AS TEXT), aggregate_type FROM events", [])
        #expect(events == [["user.inquiry.solution_needed", ada, "user"]])

        let adaMessages = try await db.query(
            "SELECT role, direction, status, content FROM messages WHERE CAST(user_id AS TEXT) = \(p)1 ORDER BY created_at, role",
            [ada])
        #expect(adaMessages.count == 3)
        #expect(adaMessages.contains(["agent", "outbound", "pending", "Hi Ada, following up about the intro to Charles."]))
        let nudge = try #require(adaMessages.first { $0[0] == "system" })
        #expect(nudge[1] == "inbound")
        #expect(nudge[3]?.contains("Re-engagement check 1 of 2: Ada has not replied") == true)
        #expect(nudge[3]?.contains("Onboarding context: asked about their goals.") == true)

        let katherineMessages = try await db.query(
            "SELECT id FROM messages WHERE CAST(user_id AS TEXT) = \(p)1", [Fixtures.katherine.uuidString.lowercased()])
        #expect(katherineMessages.isEmpty)

        let dorothy = try await db.query(
            "SELECT status FROM conversations WHERE CAST(id AS TEXT) = \(p)1", [Fixtures.dorothyConversation.uuidString.lowercased()])
        #expect(dorothy == [["paused"]])

        let nextChecks = try await db.store.tasks(matching: TaskFilter(status: .pending, taskType: "re_engagement_check"))
        #expect(nextChecks.count == 1)
        let next = try #require(nextChecks.first)
        #expect(next.userID == Fixtures.ada)
        #expect(next.contextID == Fixtures.adaConversation)
        let context = try #require(JSONValue(parsing: next.contextJSON))
        #expect(context == .object(["attempt_count": .number(2), "onboarding_context": .string("asked about their goals")]))
    }

    private func param(_ index: Int, _ db: TestDatabase) -> String {
        db.kind == .postgres ? "$\(index)::uuid" : "?\(index)"
    }
}
