import Foundation

/// How much of one task type may run, across every instance sharing the database: at
/// most ``concurrency`` running at once and at most ``rate`` starts in any window of its
/// period. Tasks held back stay `pending` and start as soon as the limit allows.
///
/// What agents need for the rate-limited APIs they call (LLM providers, messaging
/// platforms): the limit is the provider's, not one instance's.
public struct TaskLimit: Sendable, Hashable {
    /// At most this many tasks of the type `processing` at once.
    public var concurrency: Int?
    /// At most this many starts in any window of this length.
    public var rate: Rate?

    public init(concurrency: Int? = nil, rate: Rate? = nil) {
        self.concurrency = concurrency
        self.rate = rate
    }

    /// A number of starts per period, written `60/1m` (or `60/min`).
    public struct Rate: Sendable, Hashable, CustomStringConvertible {
        public var starts: Int
        public var period: TimeInterval

        public init(starts: Int, period: TimeInterval) {
            self.starts = starts
            self.period = period
        }

        /// Reads `starts/period`, e.g. `60/1m`, `10/s`, `1000/1h`; `nil` when it is not
        /// one or either side is not above zero.
        public init?(parsing text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let starts = Int(parts[0].trimmingCharacters(in: .whitespaces)), starts > 0,
                let period = DurationText.seconds(String(parts[1]), numberOptional: true)
            else { return nil }
            self.init(starts: starts, period: period)
        }

        public var description: String { "\(starts)/\(DurationText.text(period))" }
    }
}
