import Foundation
import Testing

@testable import Scheduler

/// Cron parsing and next-run times, against the cases schedulers get wrong.
@Suite("Cron expressions", .timeLimit(.minutes(5)))
struct CronExpressionTests {
    static let zurich = TimeZone(identifier: "Europe/Zurich")!
    static let newYork = TimeZone(identifier: "America/New_York")!
    static let utc = TimeZone(identifier: "UTC")!

    static func instant(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    /// The next `count` runs after `start`, as ISO 8601 UTC.
    func runs(_ cron: String, after start: String, count: Int, in zone: TimeZone) throws -> [String] {
        let expression = try CronExpression(cron)
        var time = Self.instant(start)
        var result: [String] = []
        for _ in 0..<count {
            time = try #require(expression.next(after: time, in: zone))
            result.append(time.formatted(.iso8601))
        }
        return result
    }

    @Test("weekdays at 09:00 in Zurich stay at 09:00 local across the spring change")
    func weekdaysAcrossSpring() throws {
        // 2026-03-29 is the last Sunday of March: CET (+1) becomes CEST (+2).
        #expect(try runs("0 9 * * 1-5", after: "2026-03-26T12:00:00Z", count: 3, in: Self.zurich) == [
            "2026-03-27T08:00:00Z", "2026-03-30T07:00:00Z", "2026-03-31T07:00:00Z",
        ])
    }

    @Test("a time in the skipped hour runs once, shifted by the gap; every-15-minutes skips the hour")
    func springGap() throws {
        #expect(try runs("30 2 * * *", after: "2026-03-28T12:00:00Z", count: 2, in: Self.zurich) == [
            "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z",
        ])
        #expect(try runs("*/15 * * * *", after: "2026-03-29T00:40:00Z", count: 3, in: Self.zurich) == [
            "2026-03-29T00:45:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:15:00Z",
        ])
    }

    @Test("a time in the repeated hour runs once, at its first occurrence")
    func autumnRepeat() throws {
        // 2026-10-25: CEST (+2) becomes CET (+1) at 03:00 local; 02:00-02:59 happens twice.
        #expect(try runs("30 2 * * *", after: "2026-10-24T12:00:00Z", count: 2, in: Self.zurich) == [
            "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z",
        ])
        // From inside the second pass of the hour, the next run is after it.
        #expect(try runs("*/30 * * * *", after: "2026-10-25T01:10:00Z", count: 2, in: Self.zurich) == [
            "2026-10-25T02:00:00Z", "2026-10-25T02:30:00Z",
        ])
    }

    @Test("New York's changes at 02:00 local behave the same")
    func newYork() throws {
        // 2026-03-08 spring forward, 2026-11-01 fall back.
        #expect(try runs("0 2 * * *", after: "2026-03-07T12:00:00Z", count: 2, in: Self.newYork) == [
            "2026-03-08T07:00:00Z", "2026-03-09T06:00:00Z",
        ])
        #expect(try runs("30 1 * * *", after: "2026-10-31T12:00:00Z", count: 2, in: Self.newYork) == [
            "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z",
        ])
    }

    @Test("day-of-month and day-of-week both restricted match either; one of them * needs the other")
    func dayOfMonthOrWeek() throws {
        // January 2026 starts on a Thursday: the 1st, then Mondays 5 and 12, then the 15th.
        #expect(try runs("0 0 1,15 * 1", after: "2025-12-31T12:00:00Z", count: 4, in: Self.utc) == [
            "2026-01-01T00:00:00Z", "2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z", "2026-01-15T00:00:00Z",
        ])
        #expect(try runs("0 0 * * MON", after: "2025-12-31T12:00:00Z", count: 1, in: Self.utc) == ["2026-01-05T00:00:00Z"])
        #expect(try runs("0 0 13 * 5", after: "2026-02-01T00:00:00Z", count: 2, in: Self.utc) == [
            "2026-02-06T00:00:00Z", "2026-02-13T00:00:00Z",
        ])
        #expect(try runs("0 12 * * 7", after: "2026-01-01T00:00:00Z", count: 1, in: Self.utc) == ["2026-01-04T12:00:00Z"])
    }

    @Test("steps, ranges with steps, lists and names")
    func steps() throws {
        #expect(try runs("0 0 */10 * *", after: "2026-01-01T00:00:00Z", count: 4, in: Self.utc) == [
            "2026-01-11T00:00:00Z", "2026-01-21T00:00:00Z", "2026-01-31T00:00:00Z", "2026-02-01T00:00:00Z",
        ])
        #expect(try runs("5-20/5 10 * * *", after: "2026-01-01T00:00:00Z", count: 5, in: Self.utc) == [
            "2026-01-01T10:05:00Z", "2026-01-01T10:10:00Z", "2026-01-01T10:15:00Z", "2026-01-01T10:20:00Z",
            "2026-01-02T10:05:00Z",
        ])
        #expect(try runs("0 9 1 jan-mar,DEC *", after: "2026-03-02T00:00:00Z", count: 2, in: Self.utc) == [
            "2026-12-01T09:00:00Z", "2027-01-01T09:00:00Z",
        ])
        #expect(try runs("@hourly", after: "2026-01-01T00:30:00Z", count: 1, in: Self.utc) == ["2026-01-01T01:00:00Z"])
    }

    @Test("Feb 29 comes every four years, and on a given weekday far later")
    func leapDay() throws {
        #expect(try runs("0 0 29 2 *", after: "2026-01-01T00:00:00Z", count: 2, in: Self.utc) == [
            "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z",
        ])
    }

    @Test("six fields put seconds first")
    func seconds() throws {
        #expect(try runs("*/20 * * * * *", after: "2026-01-01T00:00:05Z", count: 3, in: Self.utc) == [
            "2026-01-01T00:00:20Z", "2026-01-01T00:00:40Z", "2026-01-01T00:01:00Z",
        ])
        #expect(try runs("30 0 9 * * *", after: "2026-01-01T00:00:00Z", count: 1, in: Self.utc) == ["2026-01-01T09:00:30Z"])
    }

    @Test("a bad expression names the field and points at the fault", arguments: [
        ("0 25 * * *", "the hour field at column 3: '25' is out of range 0-23", "    ^^"),
        ("0 9 * * MON-FRY", "the day-of-week field at column 13: 'FRY' is not a number", "              ^^^"),
        ("*/0 * * * *", "the minute field at column 3: step '0' must be a number from 1 to 59", "    ^"),
        ("0 9 * *", "has 4 fields: expected 5", nil),
        ("0 0 30 2 *", "no month it allows has such a day, so it would never run", nil),
        ("0 0 5-1 * *", "range '5-1' runs backwards", nil),
        ("0 0 1,,2 * *", "has an empty list item", nil),
        ("@sometimes", "unknown macro", nil),
        ("61 * * * * *", "the second field at column 1: '61' is out of range 0-59", nil),
    ] as [(String, String, String?)])
    func errors(expression: String, problem: String, caret: String?) {
        #expect {
            try CronExpression(expression)
        } throws: { error in
            let text = "\(error)"
            return text.contains(problem) && (caret.map { text.hasSuffix("\n" + $0) } ?? true)
        }
    }
}
