import Foundation
import TestSupport
import Testing

@testable import Scheduler

/// Schedules declared in `SCHEDULES_FILE`: read and checked at start, written when new or
/// changed, left alone (their next tick kept) when unchanged.
@Suite("The schedules file", .timeLimit(.minutes(5)))
struct ScheduleFileTests {
    let start = Date(timeIntervalSince1970: 1_799_999_970)
    let registry = try! HandlerRegistry(testHandlers)

    func parse(_ text: String) throws(ConfigurationError) -> [ScheduleRequest] {
        try ScheduleFile.parse(JSONValue(parsing: text) ?? .null, path: "schedules.json")
    }

    @Test("a file is read into schedules, with the defaults of the API")
    func reads() throws {
        let requests = try parse("""
            {"schedules": [{"name": "digest", "task_type": "noop", "cron": "0 9 * * 1-5", "timezone": "Europe/Zurich",
                            "context": {"channel": "email"}, "priority": "high"},
                           {"name": "tick", "task_type": "noop", "cron": "@hourly"}]}
            """)
        #expect(requests.map(\.name) == ["digest", "tick"])
        #expect(requests[0].priority == .high && requests[0].timeZone == "Europe/Zurich")
        #expect(JSONValue(parsing: requests[0].contextJSON) == .object(["channel": .string("email")]))
        #expect(requests[1].timeZone == "UTC" && requests[1].contextJSON == "{}" && requests[1].priority == .medium)
    }

    @Test("a bad file names the file, the schedule and the fault", arguments: [
        (#"{"schedules": [{"name": "a", "task_type": "noop", "cron": "0 25 * * *"}]}"#, "schedule 'a': cron '0 25 * * *': the hour field"),
        (#"{"schedules": [{"name": "a", "task_type": "noop", "cron": "* * * * *", "timezone": "Mars/Base"}]}"#, "'Mars/Base' is not an IANA time zone"),
        (#"{"schedules": [{"name": "a", "task_type": "noop", "cron": "* * * * *", "every": 1}]}"#, "schedules[0].every is not a known field"),
        (#"{"schedules": [{"name": "a", "task_type": "noop", "cron": "* * * * *"}, {"name": "a", "task_type": "noop", "cron": "@daily"}]}"#, "unique in the file"),
        (#"{"schedules": [{"name": "a", "task_type": "noop", "cron": "* * * * *", "priority": "asap"}]}"#, "priority must be urgent, high, medium or low"),
        (#"{"jobs": []}"#, "one field, schedules"),
    ])
    func refused(text: String, problem: String) {
        #expect {
            try parse(text)
        } throws: { error in
            let message = "\(error)"
            return message.hasPrefix("SCHEDULES_FILE (--schedules-file) schedules.json: ") && message.contains(problem)
        }
    }

    @Test("declaring again leaves an unchanged schedule's next tick alone and rewrites a changed one", arguments: StoreKind.available)
    func declare(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { (db: TestDatabase) async throws in
            let book = ScheduleBook(store: db.store, registry: registry)
            let minutely = ScheduleRequest(name: "m", taskType: "noop", cron: "* * * * *", contextJSON: #"{"a":1,"b":2}"#)
            #expect(try await book.declare([minutely], now: start) == ["m"])
            let later = start.addingTimeInterval(600)
            var reordered = minutely
            reordered.contextJSON = #"{"b":2,"a":1}"#
            #expect(try await book.declare([reordered], now: later).isEmpty, "the same schedule, its context keys reordered")
            #expect(try await db.store.schedules().first?.nextRunAt == start.addingTimeInterval(30),
                    "the tick missed while nothing ran is kept, so it still runs once")
            var changed = minutely
            changed.cron = "*/5 * * * *"
            #expect(try await book.declare([changed], now: later) == ["m"])
            #expect(try await db.store.schedules().first?.nextRunAt == later.addingTimeInterval(30), "the next five-minute mark after now")
        }
    }
}
