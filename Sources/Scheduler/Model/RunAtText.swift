import Foundation

/// When a task should run, as an agent or an operator writes it: an ISO 8601 time
/// (`2026-12-03T09:00:00Z`), `now`, or an offset from now (`in 3 days`, `in 90 minutes`,
/// `+2h`, `+30m`); offsets past ten years are refused. The MCP tools' `run_at` and the
/// CLI's `enqueue --at` read it.
public enum RunAtText {
    /// What is accepted, for error messages.
    public static let expected =
        "an ISO 8601 time such as 2026-12-03T09:00:00Z, 'now', or an offset from now such as 'in 3 days', 'in 90 minutes' or '+2h'"

    private static let units: [(names: Set<String>, seconds: TimeInterval)] = [
        (["s", "sec", "secs", "second", "seconds"], 1),
        (["m", "min", "mins", "minute", "minutes"], 60),
        (["h", "hr", "hrs", "hour", "hours"], 3_600),
        (["d", "day", "days"], 86_400),
        (["w", "wk", "week", "weeks"], 604_800),
    ]

    /// The time `text` names, counted from `now`; `nil` when it names none.
    public static func date(_ text: String, now: Date) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = Timestamp.date(from: trimmed) { return date }
        let lowered = trimmed.lowercased()
        if lowered == "now" { return now }
        let offset: Substring
        if lowered.hasPrefix("+") {
            offset = lowered.dropFirst()
        } else if lowered.hasPrefix("in ") {
            offset = lowered.dropFirst(3)
        } else {
            return nil
        }
        let compact = offset.replacingOccurrences(of: " ", with: "")
        guard let split = compact.firstIndex(where: { !$0.isNumber && $0 != "." }) else { return nil }
        guard let amount = Double(compact[..<split]), amount >= 0, amount <= 3_650 * 86_400 else { return nil }
        let unit = String(compact[split...])
        guard let seconds = units.first(where: { $0.names.contains(unit) })?.seconds else { return nil }
        return now.addingTimeInterval(amount * seconds)
    }
}
