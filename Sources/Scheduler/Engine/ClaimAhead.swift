/// Whether the poller claims ahead of free handler slots: one claim's worth (at most
/// the concurrency) while handlers typically take no longer than a claim's round trip,
/// none otherwise.
///
/// Handlers that return at once would otherwise sit idle during every claim's round
/// trip, each claim taking only the slots freed since the last; claimed ahead, the next
/// tasks are already there when a slot frees, and wait about one handler's run for it.
/// Slow handlers get nothing claimed ahead of them, so other instances can take the
/// work. Tasks claimed ahead keep their lease while they wait, and shutdown releases
/// them at once (``RunningTasks/withdrawWaiting()``). Both durations are moving
/// averages of what this engine measured (handlers: ``EngineState/typicalHandler``).
struct ClaimAhead: Sendable {
    /// The most tasks claimed ahead.
    let most: Int
    /// A moving average of the claims' round trips; `nil` before the first.
    private(set) var typicalClaim: Duration?

    init(batchSize: Int, concurrency: Int) {
        most = min(batchSize, concurrency)
    }

    /// Notes how long a claim took, from asking to having the rows.
    mutating func claimTook(_ duration: Duration) {
        typicalClaim = MovingAverage.next(typicalClaim, duration)
    }

    /// How many tasks the next claim may take beyond the free slots.
    func tasks(typicalHandler: Duration?) -> Int {
        guard let typicalHandler, let typicalClaim, typicalHandler <= typicalClaim else { return 0 }
        return most
    }
}

/// An exponentially weighted moving average of durations: each new sample counts for a
/// fifth, so a change in the workload shows within a few claims or attempts.
enum MovingAverage {
    static func next(_ average: Duration?, _ sample: Duration) -> Duration {
        guard let average else { return sample }
        return average * 0.8 + sample * 0.2
    }
}
