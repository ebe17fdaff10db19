import Foundation
import TestSupport
import Testing

@testable import Scheduler

/// Ids as people copy them from the dashboard (eight characters) or a log.
@Suite("Task id prefixes", .timeLimit(.minutes(5)))
struct TaskIDPrefixTests {
    @Test("a unique prefix of 8 or more characters finds its task; a shared one or none is refused", arguments: StoreKind.available)
    func resolve(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            for suffix in ["1", "2"] {
                try await db.execute("""
                    INSERT INTO agent_tasks (id, task_type, agent_type, context_json, scheduled_for, created_at, updated_at)
                    VALUES ('abcdef12-0000-4000-8000-00000000000\(suffix)', 'noop', 'test', '{}',
                            '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
                    """)
            }
            let lone = try await db.store.enqueue(NewTask(taskType: "noop"), now: Date()).task.id
            let short = String(lone.lowercasedString.prefix(8))
            #expect(try await TaskIDPrefix(short)?.resolve(in: db.store) == lone)
            #expect(try await TaskIDPrefix(short.uppercased())?.resolve(in: db.store) == lone)
            #expect(try await TaskIDPrefix(lone.lowercasedString)?.resolve(in: db.store) == lone)
            let first = UUID(uuidString: "abcdef12-0000-4000-8000-000000000001")!
            #expect(try await TaskIDPrefix("abcdef12-0000-4000-8000-000000000001")?.resolve(in: db.store) == first)
            await #expect(throws: SchedulerError.self, "two tasks start with abcdef12") {
                try await TaskIDPrefix("abcdef12")!.resolve(in: db.store)
            }
            await #expect(throws: SchedulerError.self, "no task starts with 00000000") {
                try await TaskIDPrefix("00000000")!.resolve(in: db.store)
            }
        }
        #expect(TaskIDPrefix("abcdef1") == nil, "seven characters are too few")
        #expect(TaskIDPrefix("abcdefgh") == nil, "not hex")
    }

    @Test("the dashboard's search jumps to the task its first 8 characters name")
    func dashboardSearch() async throws {
        try await APIHarness.with(.sqlite, token: "dash+token") { harness, client in
            let id = try await harness.db.store.enqueue(NewTask(taskType: "noop"), now: Date()).task.id.lowercasedString
            let session = try await DashboardTests.logIn(client)
            let found = try await DashboardTests.send(client, .get, "/dashboard/tasks?q=\(id.prefix(8))", session: session)
            #expect(found.status == 303 && found.location == "/dashboard/tasks/\(id)")
        }
    }
}
