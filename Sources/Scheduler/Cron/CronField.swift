/// One field of a cron expression: the set of values it allows, and whether it was
/// written as `*` (or `*/n`, `?`), which decides how day-of-month and day-of-week
/// combine.
struct CronField: Sendable, Hashable {
    /// What a field may hold: its name in errors, its range, and names for its values.
    struct Kind: Sendable {
        var name: String
        var range: ClosedRange<Int>
        var names: [String: Int] = [:]
        /// Day-of-week accepts 7 for Sunday and folds it onto 0.
        var foldsSevenToZero = false

        static let second = Kind(name: "second", range: 0...59)
        static let minute = Kind(name: "minute", range: 0...59)
        static let hour = Kind(name: "hour", range: 0...23)
        static let dayOfMonth = Kind(name: "day-of-month", range: 1...31)
        static let month = Kind(name: "month", range: 1...12, names: Dictionary(uniqueKeysWithValues: [
            "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
        ].enumerated().map { ($1, $0 + 1) }))
        static let dayOfWeek = Kind(name: "day-of-week", range: 0...7, names: Dictionary(uniqueKeysWithValues: [
            "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT",
        ].enumerated().map { ($1, $0) }), foldsSevenToZero: true)
    }

    /// The allowed values, as bits: bit n set allows n.
    var allowed: UInt64
    var isWildcard: Bool

    func contains(_ value: Int) -> Bool { allowed & (1 << UInt64(value)) != 0 }

    /// Parses `text` (which starts at `column` of `expression`) as a field of `kind`:
    /// lists of `*`, `n`, `a-b`, each optionally `/step`.
    init(_ text: Substring, kind: Kind, column: Int, expression: String) throws(CronError) {
        func fail(_ problem: String, at part: Substring? = nil) -> CronError {
            let start = part.map { text.distance(from: text.startIndex, to: $0.startIndex) } ?? 0
            return CronError(
                expression: expression, field: kind.name, column: column + start, length: (part ?? text).count,
                problem: problem)
        }
        func value(_ part: Substring) throws(CronError) -> Int {
            if let number = Int(part), part.allSatisfy(\.isASCII) {
                guard kind.range.contains(number) else {
                    throw fail("'\(part)' is out of range \(kind.range.lowerBound)-\(kind.range.upperBound)", at: part)
                }
                return number
            }
            if let named = kind.names[part.uppercased()] { return named }
            let names = kind.names.isEmpty ? "" : " or a name such as \(kind.names.sorted { $0.value < $1.value }.first!.key)"
            throw fail("'\(part)' is not a number from \(kind.range.lowerBound) to \(kind.range.upperBound)\(names)", at: part)
        }
        guard !text.isEmpty else { throw fail("is empty") }
        var allowed: UInt64 = 0
        var wildcard = false
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw fail("has an empty list item", at: item) }
            let pieces = item.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            let base = pieces[0]
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0, parsed <= kind.range.upperBound else {
                    throw fail("step '\(pieces[1])' must be a number from 1 to \(kind.range.upperBound)", at: pieces[1])
                }
                step = parsed
            }
            var low: Int
            var high: Int
            if base == "*" || base == "?" {
                (low, high) = (kind.range.lowerBound, kind.foldsSevenToZero ? 6 : kind.range.upperBound)
                if item == text { wildcard = true }
            } else if let dash = base.firstIndex(of: "-") {
                low = try value(base[..<dash])
                high = try value(base[base.index(after: dash)...])
                guard low <= high else { throw fail("range '\(base)' runs backwards", at: base) }
            } else {
                low = try value(base)
                high = pieces.count == 2 ? (kind.foldsSevenToZero ? 6 : kind.range.upperBound) : low
            }
            for number in stride(from: low, through: high, by: step) {
                allowed |= 1 << UInt64(kind.foldsSevenToZero && number == 7 ? 0 : number)
            }
        }
        self.allowed = allowed
        self.isWildcard = wildcard
    }
}
