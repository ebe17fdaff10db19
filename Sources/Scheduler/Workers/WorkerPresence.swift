import Foundation
import Logging

/// Keeps an engine's row in the workers table fresh while it runs, so `GET /workers`
/// lists in-process engines beside remote workers.
struct WorkerPresence: Sendable {
    let store: any TaskStore
    let workerID: String
    let taskTypes: [String]
    let interval: Duration
    let clock: any WallClock
    let logger: Logger

    /// Records the engine now and every `interval` until cancelled.
    func run() async {
        while !Task.isCancelled {
            do {
                try await store.recordWorker(
                    WorkerSighting(workerID: workerID, kind: .engine, taskTypes: taskTypes, seenAt: clock.now))
            } catch {
                if Task.isCancelled { return }
                logger.warning("could not record this engine in the workers table; will try again", metadata: [
                    "error": "\(DatabaseErrorDescription.describe(error))",
                ])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
