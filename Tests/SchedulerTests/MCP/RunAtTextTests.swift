import Foundation
import Testing

@testable import Scheduler

@Suite("run_at text", .timeLimit(.minutes(5)))
struct RunAtTextTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("ISO 8601, now, and offsets an agent writes", arguments: [
        ("2026-12-03T09:00:00Z", Date(timeIntervalSince1970: 1_796_288_400)),
        ("now", now),
        ("in 3 days", now.addingTimeInterval(3 * 86_400)),
        ("In 90 Minutes", now.addingTimeInterval(90 * 60)),
        ("in 1.5 hours", now.addingTimeInterval(5_400)),
        ("+2h", now.addingTimeInterval(7_200)),
        ("+30m", now.addingTimeInterval(1_800)),
        ("in 2 weeks", now.addingTimeInterval(14 * 86_400)),
        ("+45s", now.addingTimeInterval(45)),
    ])
    func accepted(text: String, expected: Date) {
        #expect(RunAtText.date(text, now: Self.now) == expected)
    }

    @Test("anything else is refused", arguments: [
        "whenever", "in three days", "in -3 days", "+2", "in 3 fortnights", "tomorrow", "", "+h", "in 99999 years",
    ])
    func refused(text: String) {
        #expect(RunAtText.date(text, now: Self.now) == nil)
    }
}
