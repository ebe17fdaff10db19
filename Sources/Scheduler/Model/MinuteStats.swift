import Foundation

/// One minute of the last hour's attempts across every task type: the throughput and
/// wait and run times the dashboard draws as charts, and `GET /stats` lists as `minutes`.
public struct MinuteStats: Sendable, Encodable, Equatable {
    /// The minute's start; it covers the sixty seconds after.
    public var start: Date
    public var completed = 0
    /// Attempts whose handler failed, whether or not the task runs again.
    public var failedAttempts = 0
    public var waitMsP50: Int?
    public var runMsP50: Int?

    public init(start: Date, completed: Int = 0, failedAttempts: Int = 0, waitMsP50: Int? = nil, runMsP50: Int? = nil) {
        self.start = start
        self.completed = completed
        self.failedAttempts = failedAttempts
        self.waitMsP50 = waitMsP50
        self.runMsP50 = runMsP50
    }

    /// The sixty empty minutes of the hour before `now`, oldest first.
    package static func hour(before now: Date) -> [MinuteStats] {
        (0..<60).map { MinuteStats(start: now.addingTimeInterval(-Double(60 - $0) * 60)) }
    }

    /// The index in ``hour(before:)`` of the minute `minutesAgo` whole minutes before
    /// `now` (0 is the current one), or `nil` outside the hour.
    package static func index(minutesAgo: Int) -> Int? {
        (0..<60).contains(minutesAgo) ? 59 - minutesAgo : nil
    }

    enum CodingKeys: String, CodingKey {
        case start, completed
        case failedAttempts = "failed_attempts"
        case waitMsP50 = "wait_ms_p50"
        case runMsP50 = "run_ms_p50"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Timestamp.string(from: start), forKey: .start)
        try container.encode(completed, forKey: .completed)
        try container.encode(failedAttempts, forKey: .failedAttempts)
        try container.encodeIfPresent(waitMsP50, forKey: .waitMsP50)
        try container.encodeIfPresent(runMsP50, forKey: .runMsP50)
    }
}
