/// A first argument that is neither an option nor a subcommand, with the nearest
/// subcommand's name when one is close enough to be a typo.
struct UnknownSubcommand: CustomStringConvertible {
    let word: String
    let suggestion: String?
    let known: [String]

    /// `nil` when the first argument is an option, a known subcommand, or absent.
    init?(arguments: [String], known: [String]) {
        guard let first = arguments.first, !first.hasPrefix("-"), !known.contains(first) else { return nil }
        word = first
        self.known = known
        let scored = known.map { ($0, Self.distance(first, $0)) }.min { $0.1 < $1.1 }
        suggestion = scored.flatMap { $0.1 <= max(2, first.count / 3) ? $0.0 : nil }
    }

    var description: String {
        let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
        return "unknown command '\(word)'\(hint) (commands: \(known.filter { $0 != "help" }.joined(separator: ", ")); "
            + "`agent-scheduler --help` explains them)"
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
