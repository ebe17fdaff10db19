import Foundation
import Scheduler
import TestSupport
import Testing

/// Rows other services insert with plain SQL that no API would accept: each one ends in
/// a clear final state (or, for an unknown type, stays untouched) and the engine goes on.
@Suite("Hostile rows", .timeLimit(.minutes(5)))
struct HostileRowsTests {
    func insert(_ db: TestDatabase, type: String = "greet", context: String, scheduledFor: String? = nil, maxRetries: Int? = nil)
        async throws -> UUID
    {
        let sql: String
        switch db.kind {
        case .postgres:
            sql = """
                INSERT INTO agent_tasks (task_type, agent_type, context_json, scheduled_for, max_retries)
                VALUES ($1, 'other-service', $2::jsonb, COALESCE($3::timestamptz, now()), COALESCE($4::integer, 3))
                RETURNING id::text
                """
        case .sqlite:
            sql = """
                INSERT INTO agent_tasks (task_type, agent_type, context_json, scheduled_for, max_retries)
                VALUES (?1, 'other-service', ?2, COALESCE(?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), COALESCE(CAST(?4 AS INTEGER), 3))
                RETURNING id
                """
        }
        let rows = try await db.query(sql, [type, context, scheduledFor, maxRetries.map(String.init)])
        return try #require(rows.first?.first.flatMap { $0 }.flatMap(UUID.init(uuidString:)))
    }

    @Test("odd contexts, times and retry limits each reach a clear final state", arguments: StoreKind.available)
    func hostileRows(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let scalar = try await insert(db, context: "42")
            let null = try await insert(db, context: "null")
            let huge = try await insert(db, context: #"{"name": "\#(String(repeating: "a", count: 2_000_000))", "times": 1}"#)
            let farPast = try await insert(db, context: #"{"name": "old", "times": 1}"#, scheduledFor: "1970-01-02T00:00:00Z")
            let farFuture = try await insert(db, context: #"{"name": "later", "times": 1}"#, scheduledFor: "9999-01-01T00:00:00Z")
            let negative = try await insert(db, type: "flaky", context: #"{"fail_times": 5}"#, maxRetries: -4)
            let enormous = try await insert(db, type: "flaky", context: #"{"fail_times": 1}"#, maxRetries: 2_000_000_000)
            let unknown = try await insert(db, type: "from_the_future", context: "{}")

            let harness = try EngineHarness(db, handlers: testHandlers)
            harness.clock.set(Date().addingTimeInterval(1))
            await harness.engine.runUntilIdle()
            harness.clock.advance(by: .seconds(61))
            await harness.engine.runUntilIdle()

            for (id, error) in [
                (scalar, "context_json must be a JSON object, not a number"),
                (null, "context_json must be a JSON object, not null"),
            ] {
                let task = try #require(try await harness.task(id))
                #expect(task.status == .failed && task.retryCount == 0)
                #expect(task.errorLog?.hasSuffix(error) == true, "\(task.errorLog ?? "")")
            }
            #expect(try await harness.task(huge)?.status == .completed)
            #expect(try await harness.task(farPast)?.status == .completed)
            #expect(try await harness.task(farFuture)?.status == .pending)
            let noRetries = try #require(try await harness.task(negative))
            #expect(noRetries.status == .failed && noRetries.retryCount == 0)
            let manyRetries = try #require(try await harness.task(enormous))
            #expect(manyRetries.status == .completed && manyRetries.retryCount == 1)
            let untouched = try #require(try await harness.task(unknown))
            #expect(untouched.status == .pending && untouched.lastAttemptedAt == nil)
        }
    }

    @Test("malformed JSON text in SQLite's context_json fails the task, naming the problem")
    func malformedJSON() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let id = try await insert(db, context: "{name: 'unquoted'")
            let harness = try EngineHarness(db, handlers: testHandlers)
            harness.clock.set(Date().addingTimeInterval(1))
            await harness.engine.runUntilIdle()
            let task = try #require(try await harness.task(id))
            #expect(task.status == .failed)
            #expect(task.errorLog?.hasSuffix("context_json is not valid JSON") == true)
            #expect(try await db.store.actionLog(taskID: id).count == 1)
        }
    }
}
