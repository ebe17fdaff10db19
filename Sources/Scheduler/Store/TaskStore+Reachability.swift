import Logging

extension TaskStore {
    /// Waits until the database answers, trying again with a growing pause (0.25 s,
    /// doubling up to `maximumPause`). With a `limit`, gives up after it with the last
    /// reason; without one (a server), it waits as long as it takes, saying once that it
    /// is waiting and once that the database is back.
    public func waitUntilReachable(
        limit: Duration?, maximumPause: Duration = .seconds(5), logger: Logger
    ) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        var pause = Duration.milliseconds(250)
        var announced = false
        while true {
            do {
                try await checkReachable()
                if announced { logger.notice("the database answers now", metadata: ["database": "\(location)"]) }
                return
            } catch var error as DatabaseUnreachableError {
                let waited = clock.now - start
                if let limit {
                    guard waited < limit else {
                        error.gaveUpAfter = waited
                        throw error
                    }
                    pause = min(pause, limit - waited)
                } else if !announced {
                    logger.warning("waiting for the database; will keep trying", metadata: [
                        "database": "\(location)", "reason": "\(error.reason)",
                    ])
                    announced = true
                }
            }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, maximumPause)
        }
    }
}
