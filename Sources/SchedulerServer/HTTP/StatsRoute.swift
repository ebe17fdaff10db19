import Foundation
import Hummingbird
import Scheduler

/// `GET /stats`: the queue analytics of ``QueueStats``.
struct StatsRoute {
    let environment: APIEnvironment

    func response() async throws -> Response {
        try JSONResponse.make(.ok, try await QueueStats.read(
            from: environment.store, limits: environment.configuration.taskLimits, now: environment.clock.now))
    }
}
