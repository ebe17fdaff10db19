/// How many tasks the poller claims ahead of free handler slots: as many handlers as
/// returned while the last claim was in flight, at most one claim's worth and at most
/// the concurrency.
///
/// Handlers that return at once free that many slots during every claim's round trip,
/// so a claim that waited for free slots would always be short and the handlers idle
/// while it travels; claimed ahead, those tasks wait about one round trip for a slot.
/// Slow handlers free none in that time, so nothing is claimed ahead of them and other
/// instances can take the work. Tasks claimed ahead keep their lease while they wait,
/// and shutdown releases them at once (``RunningTasks/withdrawWaiting()``).
struct ClaimAhead: Sendable {
    /// The most tasks claimed ahead.
    let most: Int
    /// How many tasks the next claim may take beyond the free slots.
    private(set) var tasks = 0

    init(batchSize: Int, concurrency: Int) {
        most = min(batchSize, concurrency)
    }

    /// Sizes the next claims by the handlers that returned during the last one.
    mutating func claimFinished(handlersReturnedMeanwhile returned: Int) {
        tasks = min(most, max(0, returned))
    }
}
