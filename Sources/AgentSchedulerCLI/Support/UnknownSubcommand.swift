import Scheduler

/// A first argument that is neither an option nor a subcommand, with the nearest
/// subcommand's name when one is close enough to be a typo.
struct UnknownSubcommand: CustomStringConvertible {
    let word: String
    let suggestion: String?
    let known: [String]
    /// The command whose subcommands `known` are, e.g. `tasks`; `nil` at the top.
    let group: String?

    /// `nil` when the first argument is an option, a known subcommand, or absent.
    init?(arguments: [String], known: [String], group: String? = nil) {
        guard let first = arguments.first, !first.hasPrefix("-"), !known.contains(first) else { return nil }
        word = first
        self.known = known
        self.group = group
        let scored = known.map { ($0, Self.distance(first, $0)) }.min { $0.1 < $1.1 }
        suggestion = scored.flatMap { $0.1 <= max(2, first.count / 3) ? $0.0 : nil }
    }

    var description: String {
        let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
        let command = group.map { "agent-scheduler \($0)" } ?? "agent-scheduler"
        let what = group.map { "\($0) command" } ?? "command"
        return "unknown \(what) '\(word)'\(hint) (commands: \(known.filter { $0 != "help" }.joined(separator: ", ")); "
            + "`\(command) --help` explains them)"
    }

    /// Levenshtein distance: the fewest single-character edits from `a` to `b`.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
