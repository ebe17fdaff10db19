import Foundation
import TestSupport
import Testing

@testable import Scheduler
@testable import SchedulerService

/// Schedules stored, checked, and ticked into tasks on both databases.
@Suite("Recurring schedules", .timeLimit(.minutes(5)))
struct ScheduleTests {
    /// A Monday, 08:59:30 in Zurich (CET).
    let start = Date(timeIntervalSince1970: 1_799_999_970)
    let registry = try! HandlerRegistry(testHandlers)

    func ticker(_ store: any TaskStore, _ clock: ManualClock, missed: MissedTicks = .once) -> ScheduleTicker {
        ScheduleTicker(store: store, registry: registry, missed: missed, clock: clock, logger: TestDatabase.logger)
    }

    @Test("each tick enqueues exactly one task, whichever of two instances takes it", arguments: StoreKind.available)
    func oneTaskPerTick(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let clock = ManualClock(start)
            let book = ScheduleBook(store: db.store, registry: registry)
            let (saved, created) = try await book.save(
                ScheduleRequest(name: "heartbeat", taskType: "noop", cron: "*/10 * * * * *", contextJSON: #"{"n":1}"#,
                                priority: .high), now: clock.now)
            #expect(created)
            #expect(saved.nextRunAt == start.addingTimeInterval(10))
            let one = ticker(db.store, clock)
            try await StoreFactory.withStore(url: db.url, bounds: TestDatabase.bounds, logger: TestDatabase.logger) { other in
                let two = ticker(other, clock)
                #expect(try await one.tick().tasks.isEmpty, "nothing is due yet")
                for _ in 0..<3 {
                    clock.advance(by: .seconds(10))
                    async let first = one.tick()
                    async let second = two.tick()
                    let (a, b) = try await (first, second)
                    #expect(Set((a.tasks + b.tasks).map(\.id)).count == 1, "both instances name the same task")
                }
            }
            let tasks = try await db.store.tasks(matching: TaskFilter(taskType: "noop", limit: 50))
            #expect(tasks.count == 3)
            #expect(Set(tasks.map(\.scheduledFor)) == Set((1...3).map { start.addingTimeInterval(Double($0) * 10) }))
            #expect(tasks.allSatisfy { $0.priority == .high && $0.contextJSON.contains("\"n\"") && $0.createdBy == "schedule:heartbeat" })
            let stored = try #require(try await db.store.schedules().first)
            #expect(stored.lastRunAt == start.addingTimeInterval(30))
            #expect(stored.nextRunAt == start.addingTimeInterval(40))
        }
    }

    @Test("ticks missed while nothing ran are enqueued once, or skipped when told", arguments: StoreKind.available)
    func missedTicks(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let clock = ManualClock(start)
            let book = ScheduleBook(store: db.store, registry: registry)
            try await book.save(ScheduleRequest(name: "minutely", taskType: "noop", cron: "* * * * *"), now: clock.now)
            try await book.save(ScheduleRequest(name: "skipped", taskType: "greet", cron: "* * * * *",
                                                contextJSON: #"{"name":"x","times":1}"#), now: clock.now)
            clock.advance(by: .seconds(3_600))
            let once = try await ticker(db.store, clock).tick()
            #expect(once.tasks.map(\.taskType).sorted() == ["greet", "noop"], "one task per schedule for an hour of ticks")
            #expect(once.next == start.addingTimeInterval(3_630), "the next tick is the first after now")
            #expect(try await ticker(db.store, clock).tick().tasks.isEmpty)
            clock.advance(by: .seconds(3_600))
            #expect(try await ticker(db.store, clock, missed: .skip).tick().tasks.isEmpty, "a late tick is skipped")
            clock.advance(by: .seconds(60))
            #expect(try await ticker(db.store, clock, missed: .skip).tick().tasks.count == 2, "on-time ticks still run")
        }
    }

    @Test("a paused schedule does not tick; resuming starts from the next tick after now", arguments: StoreKind.available)
    func pauseResume(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let clock = ManualClock(start)
            let book = ScheduleBook(store: db.store, registry: registry)
            try await book.save(ScheduleRequest(name: "s", taskType: "noop", cron: "* * * * *"), now: clock.now)
            #expect(try await book.pause("s", now: clock.now).nextRunAt == nil)
            clock.advance(by: .seconds(600))
            #expect(try await ticker(db.store, clock).tick().tasks.isEmpty)
            let resumed = try await book.resume("s", now: clock.now)
            #expect(resumed.nextRunAt == start.addingTimeInterval(630))
            #expect(try await book.remove("s").name == "s")
            await #expect(throws: SchedulerError.scheduleNotFound("s")) { try await book.remove("s") }
        }
    }

    @Test("a bad schedule is refused naming the field", arguments: [
        (ScheduleRequest(name: "bad name", taskType: "noop", cron: "* * * * *"), "name"),
        (ScheduleRequest(name: "a", taskType: "nope", cron: "* * * * *"), "unknown task type 'nope'"),
        (ScheduleRequest(name: "a", taskType: "noop", cron: "* * * *"), "cron"),
        (ScheduleRequest(name: "a", taskType: "noop", cron: "0 9 * * *", timeZone: "Europe/Zurch"), "'Europe/Zurch' is not an IANA time zone"),
        (ScheduleRequest(name: "a", taskType: "greet", cron: "* * * * *", contextJSON: "{}"), "invalid context for 'greet'"),
    ])
    func refused(request: ScheduleRequest, problem: String) async throws {
        try await TestDatabase.with(.sqlite) { db in
            let book = ScheduleBook(store: db.store, registry: registry)
            do {
                _ = try await book.save(request, now: start)
                Issue.record("\(request.name) was accepted")
            } catch {
                #expect("\(error)".contains(problem))
            }
            let stored = try await db.store.schedules()
            #expect(stored.isEmpty)
        }
    }
}
