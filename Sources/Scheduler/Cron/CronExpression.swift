import Foundation

/// A cron expression: five fields (minute hour day-of-month month day-of-week) or six
/// with seconds first, each a list of `*`, `n`, `a-b` with optional `/step`, names for
/// months and weekdays, and the macros `@yearly`, `@monthly`, `@weekly`, `@daily`,
/// `@hourly`. Day-of-month and day-of-week both restricted match either, as in Vixie
/// cron.
///
/// Times are wall-clock times in a time zone (``next(after:in:)``), so "09:00 on
/// weekdays" stays at 09:00 across daylight-saving changes: a time the clocks skip runs
/// once, shifted by the gap (02:30 becomes 03:30), and a time they repeat runs once, at
/// its first occurrence.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    public let description: String
    let second: CronField
    let minute: CronField
    let hour: CronField
    let dayOfMonth: CronField
    let month: CronField
    let dayOfWeek: CronField

    static let macros = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// How far ahead a next run is looked for: enough for Feb 29 on a given weekday.
    static let horizonYears = 30

    /// Parses `text`; the error says which field is wrong and where.
    public init(_ text: String) throws(CronError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        description = trimmed
        let source = Self.macros[trimmed.lowercased()] ?? trimmed
        if source.hasPrefix("@") {
            throw CronError(
                expression: trimmed, field: nil, column: 0, length: trimmed.count,
                problem: "unknown macro (known: \(Self.macros.keys.sorted().joined(separator: ", ")))")
        }
        var fields: [(text: Substring, column: Int)] = []
        var index = source.startIndex
        while index < source.endIndex {
            if source[index] == " " || source[index] == "\t" {
                index = source.index(after: index)
                continue
            }
            let start = index
            while index < source.endIndex, source[index] != " ", source[index] != "\t" { index = source.index(after: index) }
            fields.append((source[start..<index], source.distance(from: source.startIndex, to: start)))
        }
        let expression = source
        guard fields.count == 5 || fields.count == 6 else {
            throw CronError(
                expression: expression, field: nil, column: 0, length: max(1, expression.count),
                problem: "has \(fields.count) field\(fields.count == 1 ? "" : "s"): expected 5 (minute hour day-of-month month day-of-week) or 6 (with seconds first)")
        }
        let kinds: [CronField.Kind] = (fields.count == 6 ? [.second] : []) + [.minute, .hour, .dayOfMonth, .month, .dayOfWeek]
        var parsed: [CronField] = []
        for (field, kind) in zip(fields, kinds) {
            parsed.append(try CronField(field.text, kind: kind, column: field.column, expression: expression))
        }
        if fields.count == 5 { parsed.insert(try CronField("0", kind: .second, column: 0, expression: "0"), at: 0) }
        (second, minute, hour, dayOfMonth, month, dayOfWeek) = (parsed[0], parsed[1], parsed[2], parsed[3], parsed[4], parsed[5])
        guard Self.canMatch(dayOfMonth: dayOfMonth, month: month, dayOfWeek: dayOfWeek) else {
            let column = fields[fields.count - 3].column
            throw CronError(
                expression: expression, field: "day-of-month", column: column, length: fields[fields.count - 3].text.count,
                problem: "no month it allows has such a day, so it would never run")
        }
    }

    /// Whether some allowed month has an allowed day (when day-of-week does not widen it).
    private static func canMatch(dayOfMonth: CronField, month: CronField, dayOfWeek: CronField) -> Bool {
        if !dayOfWeek.isWildcard, !dayOfMonth.isWildcard { return true }
        let longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...12).contains { month.contains($0) && (1...longest[$0 - 1]).contains { dayOfMonth.contains($0) } }
    }

    /// The first run strictly after `instant` in `timeZone`, or `nil` if none comes within
    /// ``horizonYears``.
    public func next(after instant: Date, in timeZone: TimeZone) -> Date? {
        var local = WallClockTime.local(instant, in: timeZone)
        let limit = local.addingTimeInterval(Double(Self.horizonYears) * 366 * 86_400)
        // Each round moves `local` forward; several rounds only in a repeated hour, whose
        // wall-clock times map to their first occurrence, before `instant`.
        while let candidate = nextWallClockMatch(after: local, until: limit) {
            let at = WallClockTime.instant(candidate, in: timeZone)
            if at > instant { return at }
            local = candidate
        }
        return nil
    }

    /// The first wall-clock time (a `Date` read in UTC) after `local` that matches.
    func nextWallClockMatch(after local: Date, until limit: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var time = Date(timeIntervalSince1970: (local.timeIntervalSince1970 + 1).rounded(.down))
        while time <= limit {
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: time)
            let (year, monthNumber, day) = (parts.year!, parts.month!, parts.day!)
            if !month.contains(monthNumber) {
                time = calendar.date(from: DateComponents(year: year, month: monthNumber + 1, day: 1))!
            } else if !dayMatches(day: day, weekday: parts.weekday! - 1) {
                time = calendar.date(from: DateComponents(year: year, month: monthNumber, day: day + 1))!
            } else if !hour.contains(parts.hour!) {
                time = calendar.date(from: DateComponents(year: year, month: monthNumber, day: day, hour: parts.hour! + 1))!
            } else if !minute.contains(parts.minute!) {
                time = calendar.date(
                    from: DateComponents(year: year, month: monthNumber, day: day, hour: parts.hour!, minute: parts.minute! + 1))!
            } else if !second.contains(parts.second!) {
                time = time.addingTimeInterval(1)
            } else {
                return time
            }
        }
        return nil
    }

    /// Day-of-month and day-of-week: both must match when either is `*`, else either may.
    private func dayMatches(day: Int, weekday: Int) -> Bool {
        if dayOfMonth.isWildcard || dayOfWeek.isWildcard {
            return dayOfMonth.contains(day) && dayOfWeek.contains(weekday)
        }
        return dayOfMonth.contains(day) || dayOfWeek.contains(weekday)
    }
}
