import Foundation
import Logging
import ServiceLifecycle

/// Finds tasks whose lease ran out, because their worker crashed or stalled, and sends
/// them back to `pending` with the attempt counted, or fails them at their limit.
///
/// Safe to run on every instance at once: the PostgreSQL store takes the rows with
/// `SKIP LOCKED`, and each update checks the lease is still expired.
public struct Rescuer: Service {
    let store: any TaskStore
    let configuration: EngineConfiguration
    let clock: any WallClock
    let metrics: SchedulerMetrics?
    let logger: Logger

    public init(
        store: any TaskStore, configuration: EngineConfiguration, clock: any WallClock = SystemClock(),
        metrics: SchedulerMetrics? = nil, logger: Logger
    ) {
        self.store = store
        self.configuration = configuration
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    /// Rescues on an interval until shutdown.
    public func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await rescueOnce()
                try? await Task.sleep(for: configuration.rescueInterval)
            }
        }
    }

    /// Rescues every expired lease now; returns the rescued task ids.
    @discardableResult
    public func rescueOnce() async -> [UUID] {
        var rescued: [UUID] = []
        do {
            while true {
                let batch = try await store.rescueExpiredLeases(
                    now: clock.now, policy: configuration.retryPolicy, limit: 100)
                rescued += batch
                if batch.count < 100 { break }
            }
        } catch {
            metrics?.databaseError()
            logger.error("could not rescue expired leases; will try again", metadata: ["error": "\(DatabaseErrorDescription.describe(error))"])
        }
        if !rescued.isEmpty {
            logger.warning("rescued tasks whose lease expired", metadata: ["count": "\(rescued.count)"])
        }
        return rescued
    }
}
