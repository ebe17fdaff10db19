import Foundation

/// The last hour's attempts summed up by task type and by worker: what `GET /stats`
/// shows of the work done. PostgreSQL sums them up in SQL; SQLite's rows are summed up
/// here (``init(samples:limit:now:)``), with the same definitions.
public struct AttemptSummary: Sendable {
    /// One task type's attempts.
    public struct ByType: Sendable {
        public var taskType: String
        /// Tasks completed in the last 1, 5 and 60 minutes, keyed `"1m"`, `"5m"`, `"60m"`.
        public var completedLast: [String: Int]
        /// Tasks failed for good in the same windows.
        public var failedLast: [String: Int]
        public var attempts: Int
        /// Attempts whose handler failed, whether or not the task runs again.
        public var failedAttempts: Int
        public var runMs: QueueStats.Percentiles?
        public var waitMs: QueueStats.Percentiles?

        public init(
            taskType: String, completedLast: [String: Int], failedLast: [String: Int], attempts: Int,
            failedAttempts: Int, runMs: QueueStats.Percentiles?, waitMs: QueueStats.Percentiles?
        ) {
            self.taskType = taskType
            self.completedLast = completedLast
            self.failedLast = failedLast
            self.attempts = attempts
            self.failedAttempts = failedAttempts
            self.runMs = runMs
            self.waitMs = waitMs
        }
    }

    public var types: [ByType]
    public var workers: [QueueStats.WorkerStats]
    /// The hour minute by minute, oldest first.
    public var minutes: [MinuteStats]
    /// How many attempts were read.
    public var read: Int
    /// Whether the hour had more attempts than the read took.
    public var truncated: Bool

    public init(types: [ByType], workers: [QueueStats.WorkerStats], minutes: [MinuteStats], read: Int, truncated: Bool) {
        self.types = types
        self.workers = workers
        self.minutes = minutes
        self.read = read
        self.truncated = truncated
    }

    /// The windows, in minutes, of the completed and failed counts.
    public static let windows = [1, 5, 60]

    /// The summary of `samples` (the attempts of the hour before `now` among the `limit`
    /// most recent ones).
    public init(samples: [AttemptSample], limit: Int, now: Date) {
        var types: [ByType] = []
        for (type, samples) in Dictionary(grouping: samples, by: \.taskType) {
            var completed: [String: Int] = [:]
            var failed: [String: Int] = [:]
            for minutes in Self.windows {
                let since = now.addingTimeInterval(-Double(minutes) * 60)
                let recent = samples.filter { $0.finishedAt > since }
                completed["\(minutes)m"] = recent.filter { $0.outcome == "completed" }.count
                failed["\(minutes)m"] = recent.filter { $0.outcome == "failed" }.count
            }
            types.append(ByType(
                taskType: type, completedLast: completed, failedLast: failed, attempts: samples.count,
                failedAttempts: samples.filter(\.failed).count, runMs: Self.percentiles(samples.map(\.runMs)),
                waitMs: Self.percentiles(samples.compactMap(\.waitMs))))
        }
        var workers: [QueueStats.WorkerStats] = []
        for (worker, samples) in Dictionary(grouping: samples.filter { $0.workerID != nil }, by: { $0.workerID! }) {
            workers.append(QueueStats.WorkerStats(
                workerID: worker, attempts: samples.count, succeeded: samples.filter { $0.outcome == "completed" }.count,
                meanRunMs: Double(samples.map(\.runMs).reduce(0, +)) / Double(samples.count),
                lastFinishedAt: samples.map(\.finishedAt).max() ?? now))
        }
        var minutes = MinuteStats.hour(before: now)
        // Stored times keep milliseconds, rounded: an attempt that finished within the
        // millisecond before `now` may read as up to a millisecond after it.
        let byMinute = Dictionary(grouping: samples) { sample -> Int in
            let ago = now.timeIntervalSince(sample.finishedAt)
            return Int(((ago > -0.001 ? max(0, ago) : ago) / 60).rounded(.down))
        }
        for (minutesAgo, samples) in byMinute {
            guard let index = MinuteStats.index(minutesAgo: minutesAgo) else { continue }
            minutes[index].completed = samples.filter { !$0.failed }.count
            minutes[index].failedAttempts = samples.filter(\.failed).count
            minutes[index].runMsP50 = Self.percentiles(samples.map(\.runMs))?.p50
            minutes[index].waitMsP50 = Self.percentiles(samples.compactMap(\.waitMs))?.p50
        }
        self.init(types: types, workers: workers, minutes: minutes, read: samples.count, truncated: samples.count >= limit)
    }

    /// The 50th and 95th percentiles by nearest rank (PostgreSQL's `percentile_disc`),
    /// or `nil` for no values.
    static func percentiles(_ values: [Int]) -> QueueStats.Percentiles? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        func rank(_ p: Double) -> Int { sorted[max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1)] }
        return QueueStats.Percentiles(p50: rank(0.5), p95: rank(0.95))
    }
}
