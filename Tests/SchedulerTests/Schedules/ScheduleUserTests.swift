import Foundation
import TestSupport
import Testing

@testable import Scheduler

/// A user-facing type, as four of the task processor's five handlers are.
private struct CheckInHandler: TaskHandler {
    struct Context: Codable, Sendable {}
    struct Result: Encodable, Sendable {}
    static let taskType = "check_in"
    static let taskDescription = "Checks in with a user."
    static let contextSchema = ContextSchema.object([])
    static let requiresUser = true
    func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result { Result() }
}

/// Recurring work about a user, and time zones shown as they were given.
@Suite("Schedules about a user", .timeLimit(.minutes(5)))
struct ScheduleUserTests {
    let ada = UUID(uuidString: "11111111-1111-4111-8111-111111111111")!

    @Test("a schedule of a user-facing type needs a user; its ticks' tasks are about that user; UTC stays UTC",
          arguments: StoreKind.available)
    func userSchedules(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let registry = try HandlerRegistry(testHandlers + [CheckInHandler()])
            let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
            let book = ScheduleBook(store: db.store, registry: registry)
            #expect(throws: SchedulerError.self, "no user for a user-facing type") {
                try book.check(ScheduleRequest(name: "nobody", taskType: "check_in", cron: "* * * * * *"))
            }
            _ = try await book.save(
                ScheduleRequest(name: "ada-daily", taskType: "check_in", cron: "* * * * * *", timeZone: "UTC", userID: ada),
                now: clock.now)
            let stored = try #require(try await db.store.schedules().first)
            #expect(stored.userID == ada)
            #expect(stored.timeZoneName == "UTC")
            let shown = try JSONValue(encoding: ScheduleRepresentation(stored, now: clock.now))
            guard case .object(let fields) = shown else { throw TestFailure("\(shown)") }
            #expect(fields["timezone"] == .string("UTC") && fields["user_id"] == .string(ada.lowercasedString))
            clock.advance(by: .seconds(1))
            let ticker = ScheduleTicker(store: db.store, registry: registry, missed: .once, clock: clock, logger: TestDatabase.logger)
            let task = try #require(try await ticker.tick().tasks.first)
            #expect(task.userID == ada && task.taskType == "check_in")
        }
    }

    @Test("POST /schedules takes user_id and GET shows it with the time zone as given")
    func overHTTP() async throws {
        try await APIHarness.with(.sqlite) { _, client in
            let created = try await client.send(.post, "/schedules", body: """
                {"name": "greet-ada", "task_type": "noop", "cron": "0 9 * * *", "timezone": "UTC", "user_id": "\(ada.lowercasedString)"}
                """)
            #expect(created.status == 201, "\(created.text)")
            #expect(created["user_id"] == .string(ada.lowercasedString))
            #expect(created["timezone"] == "UTC")
        }
    }
}
