import Foundation
import Hummingbird
import Scheduler
import SchedulerRequests

/// `GET /health`: the task processor's shape (status, service, timestamp, stats, polling) plus the
/// database's reachability, the queue, the worker id and the version. 503 while the
/// database does not answer, so a load balancer or Cloud Run stops sending work.
struct HealthRoute {
    let environment: APIEnvironment

    /// `authorized`: whether the request carried the API token (or the server has none);
    /// the worker id is shown only then, since the open health check must not hand out
    /// what other calls could be made in a worker's name.
    func response(authorized: Bool) async throws -> Response {
        let counts = await databaseCounts()
        let paused = counts == nil ? nil : try? await environment.store.pausedTaskTypes()
        let stats = environment.engine.counters.snapshot
        let body = Health(
            status: counts == nil ? "unhealthy" : "healthy",
            service: "agent-scheduler",
            timestamp: Timestamp.string(from: environment.clock.now),
            version: SchedulerVersion.current,
            workerId: authorized ? environment.engine.configuration.workerID : nil,
            stats: .init(
                tasksProcessed: stats.processed,
                tasksSucceeded: stats.succeeded,
                tasksFailed: stats.failed,
                successRate: String(format: "%.1f%%", stats.successRate * 100),
                lastProcessedAt: stats.lastProcessedAt.map(Timestamp.string(from:))
            ),
            polling: .init(
                enabled: true,
                intervalMs: Int(environment.engine.configuration.pollInterval.timeInterval * 1000),
                maxTasksPerPoll: environment.engine.configuration.batchSize
            ),
            database: .init(reachable: counts != nil, kind: environment.store.databaseKind.rawValue),
            queue: counts.map {
                .init(depth: $0[.pending], processing: $0[.processing], unroutable: $0.unroutable, capped: $0.capped)
            },
            pausedTaskTypes: paused.map { $0.keys.sorted() }
        )
        return try JSONResponse.make(counts == nil ? .serviceUnavailable : .ok, body)
    }

    /// Task counts, or `nil` when the database does not answer in time.
    private func databaseCounts() async -> TaskCounts? {
        let store = environment.store
        let types = environment.registry.allTaskTypes
        return try? await DatabaseDeadline.run("counts", within: environment.healthDatabaseTimeout) {
            try await store.counts(registeredTypes: types, limit: TaskCounts.limit)
        }
    }

    struct Health: Encodable {
        struct Stats: Encodable {
            var tasksProcessed: Int
            var tasksSucceeded: Int
            var tasksFailed: Int
            var successRate: String
            var lastProcessedAt: String?
        }

        struct Polling: Encodable {
            var enabled: Bool
            var intervalMs: Int
            var maxTasksPerPoll: Int
        }

        struct Database: Encodable {
            var reachable: Bool
            var kind: String
        }

        struct Queue: Encodable {
            var depth: Int
            var processing: Int
            var unroutable: Int
            /// Whether a count stopped at ``TaskCounts/limit``: the real numbers are at least these.
            var capped: Bool
        }

        var status: String
        var service: String
        var timestamp: String
        var version: String
        var workerId: String?
        var stats: Stats
        var polling: Polling
        var database: Database
        var queue: Queue?
        /// The task types paused for every instance (absent while the database is down).
        var pausedTaskTypes: [String]?

    }
}
