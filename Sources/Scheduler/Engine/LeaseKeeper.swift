import Foundation
import Logging

/// Extends the leases of the tasks this engine is running, every third of the lease, so
/// a long handler keeps its task; if a lease turns out to be lost (the process stalled
/// and another worker rescued the task), that attempt is cancelled.
struct LeaseKeeper: Sendable {
    let store: any TaskStore
    let running: RunningTasks
    let configuration: EngineConfiguration
    let clock: any WallClock
    var metrics: SchedulerMetrics? = nil
    let logger: Logger

    /// Loops until the calling task is cancelled.
    func run() async {
        let interval = configuration.lease / 3
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            guard !Task.isCancelled else { return }
            await extendOnce()
        }
    }

    /// Looks for cancellation requests of running tasks every
    /// ``EngineConfiguration/cancellationCheckInterval`` until cancelled: the requests
    /// this engine's event bus did not carry (another process writing a SQLite file, a
    /// notification lost with the LISTEN connection, a transaction pooler).
    func watchCancellations() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.cancellationCheckInterval)
            guard !Task.isCancelled else { return }
            await checkCancellationsOnce()
        }
    }

    /// Stops the attempts whose cancellation was requested: running, or waiting for a slot.
    func checkCancellationsOnce() async {
        let ids = running.activeIDs
        guard !ids.isEmpty else { return }
        do {
            let requested = try await store.cancellationRequests(among: Array(ids))
            if !requested.isEmpty { running.cancel(requested, reason: .requested) }
        } catch {
            metrics?.databaseError()
            logger.error("could not look for cancellation requests; will try again", metadata: [
                "error": "\(DatabaseErrorDescription.describe(error))",
            ])
        }
    }

    /// Extends every running task's lease once.
    func extendOnce() async {
        let attempts = running.attempts
        let ids = Array(attempts.keys)
        guard !ids.isEmpty else { return }
        do {
            let until = clock.now.addingTimeInterval(configuration.lease.timeInterval)
            let held = try await store.extendLeases(attempts, workerID: configuration.workerID, until: until)
            // A task whose result was written just before this update is no longer
            // held either; only attempts still running or waiting for a slot have
            // really lost their lease.
            let lost = Set(ids).subtracting(held).intersection(running.activeIDs)
            if !lost.isEmpty {
                logger.warning("lost the lease of running tasks; cancelling their attempts", metadata: [
                    "task_ids": "\(lost.map { $0.lowercasedString })",
                ])
                running.cancel(lost)
            }
        } catch {
            metrics?.databaseError()
            logger.error("could not extend leases; will try again", metadata: ["error": "\(DatabaseErrorDescription.describe(error))"])
        }
    }
}
