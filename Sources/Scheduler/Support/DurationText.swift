import Foundation

/// Durations as people write them in settings: a whole number and a unit, `30s`, `5m`,
/// `2h`, `14d`, `1w` (also `500ms`, `1min`); for rates the number may be left out
/// (`min` is one minute).
public enum DurationText {
    static let units: [(suffix: String, seconds: TimeInterval)] = [
        ("ms", 0.001), ("min", 60), ("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400), ("w", 604_800),
    ]

    /// What the units are, for error messages.
    public static let expected = "a whole number and a unit: ms, s, m (or min), h, d or w, e.g. 30s, 5m, 14d"

    /// The length of `text` in seconds, or `nil` when it is not such a duration or is not
    /// above zero. `numberOptional` lets `min` mean `1min`.
    public static func seconds(_ text: String, numberOptional: Bool = false) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let digits = trimmed.dropLast(unit.suffix.count)
            if digits.isEmpty { return numberOptional ? unit.seconds : nil }
            guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let count = Int(digits), count > 0 else {
                return nil
            }
            return Double(count) * unit.seconds
        }
        return nil
    }

    /// `seconds` written back in the largest unit that divides it, e.g. `60` → `1m`.
    public static func text(_ seconds: TimeInterval) -> String {
        for unit in [("w", 604_800.0), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        where seconds >= unit.1 && seconds.truncatingRemainder(dividingBy: unit.1) == 0 {
            return "\(Int(seconds / unit.1))\(unit.0)"
        }
        return "\(Int((seconds * 1000).rounded()))ms"
    }
}
