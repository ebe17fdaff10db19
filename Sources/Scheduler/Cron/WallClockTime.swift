import Foundation

/// Wall-clock times of a time zone, held as a `Date` read in UTC (02:30 local is
/// 02:30Z), and their mapping to instants across daylight-saving changes.
enum WallClockTime {
    /// What the clocks in `timeZone` show at `instant`.
    static func local(_ instant: Date, in timeZone: TimeZone) -> Date {
        instant.addingTimeInterval(Double(timeZone.secondsFromGMT(for: instant)))
    }

    /// The instant at which clocks in `timeZone` show `local`: its first occurrence when
    /// the clocks go back over it, and the same distance past the change when they
    /// spring forward over it (02:30 in a skipped hour is 03:30).
    static func instant(_ local: Date, in timeZone: TimeZone) -> Date {
        let wall = local.timeIntervalSince1970
        let before = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: wall - 86_400))
        let offsets = Set([before, timeZone.secondsFromGMT(for: local), timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: wall + 86_400))])
        let valid = offsets.map { wall - Double($0) }.filter { candidate in
            Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: candidate))) == wall - candidate
        }
        return Date(timeIntervalSince1970: valid.min() ?? wall - Double(before))
    }
}
