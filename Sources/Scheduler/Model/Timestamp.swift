import Foundation

/// The one text form of a point in time used by the SQLite store, logs and JSON output:
/// ISO 8601 in UTC with milliseconds (`2026-11-23T10:00:05.250Z`).
///
/// It sorts lexically in time order, which is what lets SQLite compare `scheduled_for`
/// values through an index; it is also what SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ')`
/// produces, so the database's defaults and ours agree.
///
/// Years 1600-9999 in exactly that form are formatted and parsed by direct arithmetic, since
/// every claimed row and every result goes through here (Foundation's ISO 8601 style
/// cost about a tenth of the SQLite engine's instructions in a callgrind profile); other
/// spellings fall back to Foundation.
public enum Timestamp {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    /// Formats a date with millisecond precision: the fraction of a second cut to whole
    /// milliseconds, except that one within 50 µs below the next millisecond counts as
    /// that millisecond (float noise, e.g. 0.999 stored as 0.99899…), so what `date(from:)`
    /// parsed formats back to the same text in every year up to 9999.
    public static func string(from date: Date) -> String {
        let interval = date.timeIntervalSince1970
        let wholeSeconds = interval.rounded(.down)
        guard wholeSeconds.isFinite, wholeSeconds >= Self.firstSecond, wholeSeconds < Self.endSecond else {
            return withFraction.format(date)
        }
        var seconds = Int64(wholeSeconds)
        let fraction = (interval - wholeSeconds) * 1000
        let nearest = fraction.rounded()
        var milliseconds = Int64(nearest - fraction < 0.05 ? nearest : fraction.rounded(.down))
        if milliseconds >= 1000 {
            seconds += 1
            milliseconds -= 1000
        }
        let (days, secondOfDay) = seconds.floorDivided(by: 86_400)
        let (year, month, day) = civil(fromDays: days)
        let second = Int(secondOfDay)
        var bytes = [UInt8](repeating: 0, count: 24)
        put(year, width: 4, into: &bytes, at: 0)
        bytes[4] = UInt8(ascii: "-")
        put(month, width: 2, into: &bytes, at: 5)
        bytes[7] = UInt8(ascii: "-")
        put(day, width: 2, into: &bytes, at: 8)
        bytes[10] = UInt8(ascii: "T")
        put(second / 3600, width: 2, into: &bytes, at: 11)
        bytes[13] = UInt8(ascii: ":")
        put(second / 60 % 60, width: 2, into: &bytes, at: 14)
        bytes[16] = UInt8(ascii: ":")
        put(second % 60, width: 2, into: &bytes, at: 17)
        bytes[19] = UInt8(ascii: ".")
        put(Int(milliseconds), width: 3, into: &bytes, at: 20)
        bytes[23] = UInt8(ascii: "Z")
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses an ISO 8601 timestamp with or without fractional seconds.
    public static func date(from string: String) -> Date? {
        if let date = fastDate(from: string) { return date }
        return (try? withFraction.parse(string)) ?? (try? withoutFraction.parse(string))
    }

    // MARK: The direct arithmetic

    /// 1600-01-01T00:00:00Z and 10000-01-01T00:00:00Z in seconds since 1970: Gregorian
    /// years, where Foundation's calendar and this arithmetic agree (before 1582
    /// Foundation counts Julian days).
    private static let firstSecond: Double = -11_676_096_000
    private static let endSecond: Double = 253_402_300_800

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, or `nil` for anything else.
    private static func fastDate(from string: String) -> Date? {
        var string = string
        return string.withUTF8 { bytes -> Date? in
            guard bytes.count >= 20, bytes[bytes.count - 1] == UInt8(ascii: "Z"),
                bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
                bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
                let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let day = number(bytes, 8, 2),
                let hour = number(bytes, 11, 2), let minute = number(bytes, 14, 2), let second = number(bytes, 17, 2),
                year >= 1600, (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
                hour < 24, minute < 60, second < 60
            else { return nil }
            var fraction = 0.0
            if bytes.count > 20 {
                let digits = bytes.count - 21
                guard bytes[19] == UInt8(ascii: "."), (1...9).contains(digits), let value = number(bytes, 20, digits) else {
                    return nil
                }
                fraction = Double(value) / pow(10, Double(digits))
            }
            let days = Self.days(fromCivil: year, month, day)
            let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
            return Date(timeIntervalSince1970: Double(seconds) + fraction)
        }
    }

    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ width: Int) -> Int? {
        var value = 0
        for index in start..<(start + width) {
            let digit = Int(bytes[index]) - 48
            guard (0...9).contains(digit) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    private static func put(_ value: Int, width: Int, into bytes: inout [UInt8], at start: Int) {
        var value = value
        for index in stride(from: start + width - 1, through: start, by: -1) {
            bytes[index] = UInt8(48 + value % 10)
            value /= 10
        }
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = Int64((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1)
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (the inverse of the above).
    private static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

extension Int64 {
    /// Quotient and remainder rounded towards negative infinity, so times before 1970
    /// still have a non-negative time of day.
    fileprivate func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}
