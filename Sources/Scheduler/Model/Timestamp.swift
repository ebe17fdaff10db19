import Foundation

/// The one text form of a point in time used by the SQLite store, logs and JSON output:
/// ISO 8601 in UTC with milliseconds (`2026-11-23T10:00:05.250Z`).
///
/// It sorts lexically in time order, which is what lets SQLite compare `scheduled_for`
/// values through an index; it is also what SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ')`
/// produces, so the database's defaults and ours agree.
public enum Timestamp {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    /// Formats a date with millisecond precision.
    public static func string(from date: Date) -> String {
        withFraction.format(date)
    }

    /// Parses an ISO 8601 timestamp with or without fractional seconds.
    public static func date(from string: String) -> Date? {
        (try? withFraction.parse(string)) ?? (try? withoutFraction.parse(string))
    }
}
