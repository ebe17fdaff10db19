import Foundation
import Logging
import Synchronization

/// Stores the progress one running attempt reports, at most once per interval: the
/// first report is written at once, later ones wait for the interval and only the latest
/// is written. What is still held back when the handler returns goes out with its result
/// (``finish()``), so the stored progress is always the last one reported.
final class ProgressReporter: Sendable {
    private let store: any TaskStore
    private let task: AgentTask
    private let workerID: String
    private let clock: any WallClock
    private let interval: Duration
    private let logger: Logger

    private struct State {
        var latest: TaskProgress?
        /// Whether `latest` is not stored yet.
        var unwritten = false
        /// Whether a write is scheduled or under way.
        var writing = false
        var lastWrite: ContinuousClock.Instant?
        var finished = false
    }

    private let state = Mutex(State())

    init(store: any TaskStore, task: AgentTask, workerID: String, clock: any WallClock, interval: Duration, logger: Logger) {
        self.store = store
        self.task = task
        self.workerID = workerID
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    /// Keeps `fraction`, `message` and `data` as the latest progress and makes sure a
    /// write follows. Never waits.
    func report(_ fraction: Double, message: String?, data: JSONValue?) {
        var data = data
        if let value = data, let encoded = try? JSONText.data(value), encoded.count > TaskProgress.dataLimit {
            logger.warning("progress data dropped: \(encoded.count) bytes of JSON, more than \(TaskProgress.dataLimit)", metadata: task.logMetadata)
            data = nil
        }
        let progress = TaskProgress(fraction: fraction, message: message, data: data, attempt: task.attempt, updatedAt: clock.now)
        let delay = state.withLock { state -> Duration? in
            guard !state.finished else { return nil }
            state.latest = progress
            state.unwritten = true
            guard !state.writing else { return nil }
            state.writing = true
            return Self.wait(after: state.lastWrite, interval: interval)
        }
        // Unstructured: reporting progress must not make the handler wait for the write;
        // one writer at a time (`writing`), and the result flushes what it left.
        if let delay { Task { await self.write(after: delay) } }
    }

    /// Stops writing and returns the progress not stored yet, as JSON, for the result's write.
    func finish() -> String? {
        state.withLock { state in
            state.finished = true
            return state.unwritten ? state.latest?.json : nil
        }
    }

    private static func wait(after lastWrite: ContinuousClock.Instant?, interval: Duration) -> Duration {
        guard let lastWrite else { return .zero }
        return max(.zero, interval - (ContinuousClock.now - lastWrite))
    }

    private func write(after delay: Duration) async {
        var delay = delay
        while true {
            if delay > .zero { try? await Task.sleep(for: delay) }
            let progress = state.withLock { state -> TaskProgress? in
                guard !state.finished, state.unwritten else {
                    state.writing = false
                    return nil
                }
                state.unwritten = false
                state.lastWrite = ContinuousClock.now
                return state.latest
            }
            guard let progress else { return }
            do {
                try await store.saveProgress(progress, taskID: task.id, workerID: workerID)
            } catch {
                logger.warning("could not store progress", metadata: task.logMetadata.merging([
                    "error": "\(DatabaseErrorDescription.describe(error))",
                ]) { _, new in new })
            }
            delay = interval
        }
    }
}
