import Foundation
import Testing

@testable import Scheduler

@Suite("Timestamp", .timeLimit(.minutes(5)))
struct TimestampTests {
    private static let foundation = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Seconds since 1970 from 1600 (where the direct arithmetic starts; before it,
    /// Timestamp is Foundation) to 9999, with odd fractions.
    private static let samples: [Double] = [
        -11_676_096_000, -11_676_095_999.999, -2_208_988_800.5, -1, -0.001, 0, 0.001, 0.999,
        951_782_400.123, 1_800_000_000, 1_800_000_000.25, 1_795_000_000.9999, 4_107_542_400.5, 253_402_300_799.999,
    ] + (0..<500).map { Double($0) * 530_000_000.123 - 11_600_000_000 }

    @Test("known instants format exactly, leap days and times before 1970 included", arguments: [
        (1_795_428_005.25, "2026-11-23T10:00:05.250Z"),
        (951_782_400.123, "2000-02-29T00:00:00.123Z"),
        (-0.001, "1969-12-31T23:59:59.999Z"),
        (0.999, "1970-01-01T00:00:00.999Z"),
        (-2_208_988_800.5, "1899-12-31T23:59:59.500Z"),
        (253_402_300_799, "9999-12-31T23:59:59.000Z"),
    ])
    func known(seconds: Double, text: String) {
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: seconds)) == text)
        #expect(Timestamp.date(from: text) == Date(timeIntervalSince1970: (seconds * 1000).rounded() / 1000))
    }

    @Test("formatting agrees with Foundation's ISO 8601 style within its float rounding (about 1 ms)")
    func formatting() throws {
        for seconds in Self.samples {
            let date = Date(timeIntervalSince1970: seconds)
            let ours = try Self.foundation.parse(Timestamp.string(from: date))
            let theirs = try Self.foundation.parse(Self.foundation.format(date))
            #expect(abs(ours.timeIntervalSince(theirs)) <= 0.0011, "\(seconds)")
        }
    }

    @Test("parsing agrees with Foundation, and formatting what was parsed gives the same text")
    func roundTrip() throws {
        for seconds in Self.samples {
            let text = Timestamp.string(from: Date(timeIntervalSince1970: seconds))
            let parsed = try #require(Timestamp.date(from: text))
            #expect(abs(parsed.timeIntervalSince(try Self.foundation.parse(text))) < 0.000_1, "\(text)")
            #expect(Timestamp.string(from: parsed) == text)
        }
    }

    @Test("other spellings fall back to Foundation; nonsense is nil")
    func otherSpellings() {
        #expect(Timestamp.date(from: "2026-11-23T10:00:05Z") == Date(timeIntervalSince1970: 1_795_428_005))
        #expect(Timestamp.date(from: "2026-11-23T10:00:05.5Z") == Date(timeIntervalSince1970: 1_795_428_005.5))
        #expect(Timestamp.date(from: "2026-11-23T11:00:05.500+01:00") == Date(timeIntervalSince1970: 1_795_428_005.5))
        #expect(Timestamp.date(from: "") == nil)
        #expect(Timestamp.date(from: "tomorrow") == nil)
    }
}
