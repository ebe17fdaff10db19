import Foundation
import Logging

/// Writes a batch of attempt results, retrying briefly if the database hiccups.
///
/// ``RunningTasks`` decides what goes in a batch: the results that finish while one
/// batch is written go together in the next transaction (group commit), so a busy engine
/// makes one round trip for many tasks and an idle one writes at once. A crash before the
/// write means the task runs again after its lease, never that it is lost or marked done
/// without running.
struct ResultWriter: Sendable {
    let store: any TaskStore
    let metrics: SchedulerMetrics
    let logger: Logger

    /// Writes one batch; if the database stays unreachable through five tries, the leases
    /// run out and the rescuer gives those tasks another attempt.
    func write(_ batch: [AttemptRecord]) async {
        var delay = Duration.milliseconds(100)
        for attempt in 1...5 {
            do {
                let applied = try await store.finish(batch)
                for record in batch where !applied.contains(record.task.id) {
                    logger.warning("attempt result discarded: this worker no longer holds the task's lease", metadata: [
                        "task_id": "\(record.task.id.lowercasedString)",
                    ])
                }
                return
            } catch {
                metrics.databaseError()
                logger.error("could not record attempt results", metadata: [
                    "tasks": "\(batch.count)", "error": "\(DatabaseErrorDescription.describe(error))", "try": "\(attempt)",
                ])
                try? await Task.sleep(for: delay)
                delay *= 2
            }
        }
    }
}
