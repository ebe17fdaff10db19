import Foundation
import Logging

/// Writes attempt results in batches: while one batch is being written, the results that
/// finish meanwhile queue up and go together in the next transaction (group commit), so
/// a busy engine makes one round trip for many tasks and an idle one writes at once.
///
/// Each caller waits until its result is written (or given up on), so a task counts as
/// running until then. A crash before the write means the task runs again after its
/// lease, never that it is lost or marked done without running.
actor ResultBatcher {
    private let store: any TaskStore
    private let metrics: SchedulerMetrics
    private let logger: Logger
    private let maximumBatch: Int
    private var queue: [(record: AttemptRecord, done: CheckedContinuation<Void, Never>)] = []
    private var writing = false

    init(store: any TaskStore, metrics: SchedulerMetrics, logger: Logger, maximumBatch: Int = RunningTasks.resultBacklog) {
        self.store = store
        self.metrics = metrics
        self.logger = logger
        self.maximumBatch = maximumBatch
    }

    /// Queues a result and returns once its batch has been written.
    func write(_ record: AttemptRecord) async {
        await withCheckedContinuation { continuation in
            queue.append((record, continuation))
            if !writing {
                writing = true
                // One drainer at a time, started by the first result of a batch; every
                // caller waits on its own continuation, so none owns the drain.
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = Array(queue.prefix(maximumBatch))
            queue.removeFirst(batch.count)
            await write(batch: batch.map(\.record))
            for entry in batch { entry.done.resume() }
        }
        writing = false
    }

    /// Writes one batch, retrying briefly if the database hiccups; if it stays
    /// unreachable the leases run out and the rescuer gives those tasks another attempt.
    private func write(batch: [AttemptRecord]) async {
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
