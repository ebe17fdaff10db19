import Foundation

/// What `GET /stats` and `agent-scheduler stats` show: per task type the live queue,
/// the failed and cancelled totals, the last hour's completions, failures, wait and
/// run times, whether it is paused and its limits; per worker its last hour's attempts;
/// and the hour minute by minute.
///
/// The hour is read from the action log in one bounded scan: at most
/// ``attemptLimit`` of the most recent attempts (`truncated` says when the hour had
/// more), so the answer stays fast however long the history or busy the hour.
public struct QueueStats: Sendable, Encodable {
    /// The most attempts one report reads.
    public static let attemptLimit = 100_000

    public struct TypeStats: Sendable, Encodable {
        public var taskType: String
        public var pending = 0
        public var due = 0
        public var processing = 0
        /// Seconds the oldest due task has waited since its `scheduled_for`.
        public var oldestDueAgeSeconds: Double?
        public var failed = 0
        public var cancelled = 0
        /// Tasks completed in the last 1, 5 and 60 minutes, keyed `"1m"`, `"5m"`, `"60m"`.
        public var completedLast: [String: Int] = [:]
        /// Tasks failed for good in the last 1, 5 and 60 minutes.
        public var failedLast: [String: Int] = [:]
        /// Attempts over the last hour, and the share of them whose handler failed.
        public var attempts = 0
        public var failureRate: Double?
        public var waitMs: Percentiles?
        public var runMs: Percentiles?
        /// When the type was paused, if it is (`POST /task-types/{type}/pause`).
        public var pausedAt: Date?
        /// Its concurrency and rate limits, if it has any.
        public var limit: LimitStats?

        public var paused: Bool { pausedAt != nil }

        enum CodingKeys: String, CodingKey {
            case pending, due, processing, failed, cancelled, attempts, paused, limit
            case taskType = "task_type"
            case oldestDueAgeSeconds = "oldest_due_age_seconds"
            case completedLast = "completed_last"
            case failedLast = "failed_last"
            case failureRate = "failure_rate"
            case waitMs = "wait_ms"
            case runMs = "run_ms"
            case pausedAt = "paused_at"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(taskType, forKey: .taskType)
            try container.encode(pending, forKey: .pending)
            try container.encode(due, forKey: .due)
            try container.encode(processing, forKey: .processing)
            try container.encodeIfPresent(oldestDueAgeSeconds, forKey: .oldestDueAgeSeconds)
            try container.encode(failed, forKey: .failed)
            try container.encode(cancelled, forKey: .cancelled)
            try container.encode(completedLast, forKey: .completedLast)
            try container.encode(failedLast, forKey: .failedLast)
            try container.encode(attempts, forKey: .attempts)
            try container.encodeIfPresent(failureRate, forKey: .failureRate)
            try container.encodeIfPresent(waitMs, forKey: .waitMs)
            try container.encodeIfPresent(runMs, forKey: .runMs)
            try container.encode(paused, forKey: .paused)
            try container.encodeIfPresent(pausedAt.map(Timestamp.string(from:)), forKey: .pausedAt)
            try container.encodeIfPresent(limit, forKey: .limit)
        }
    }

    /// A type's limits as `/stats` shows them: `concurrency` running at most, `rate` as
    /// `starts/period` (e.g. `60/1m`).
    public struct LimitStats: Sendable, Encodable, Equatable {
        public var concurrency: Int?
        public var rate: String?

        init(_ limit: TaskLimit) {
            concurrency = limit.concurrency
            rate = limit.rate?.description
        }
    }

    public struct WorkerStats: Sendable, Encodable {
        public var workerID: String
        public var attempts: Int
        public var succeeded: Int
        public var meanRunMs: Double
        public var lastFinishedAt: Date

        public init(workerID: String, attempts: Int, succeeded: Int, meanRunMs: Double, lastFinishedAt: Date) {
            self.workerID = workerID
            self.attempts = attempts
            self.succeeded = succeeded
            self.meanRunMs = meanRunMs
            self.lastFinishedAt = lastFinishedAt
        }

        enum CodingKeys: String, CodingKey {
            case attempts, succeeded
            case workerID = "worker_id"
            case meanRunMs = "mean_run_ms"
            case lastFinishedAt = "last_finished_at"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(workerID, forKey: .workerID)
            try container.encode(attempts, forKey: .attempts)
            try container.encode(succeeded, forKey: .succeeded)
            try container.encode((meanRunMs * 10).rounded() / 10, forKey: .meanRunMs)
            try container.encode(Timestamp.string(from: lastFinishedAt), forKey: .lastFinishedAt)
        }
    }

    public struct Percentiles: Sendable, Encodable, Equatable {
        public var p50: Int
        public var p95: Int

        public init(p50: Int, p95: Int) {
            self.p50 = p50
            self.p95 = p95
        }
    }

    public var generatedAt: Date
    public var taskTypes: [TypeStats]
    public var workers: [WorkerStats]
    /// The last hour minute by minute across every type, oldest first.
    public var minutes: [MinuteStats]
    /// How many attempts of the last hour were read, and whether there were more.
    public var attemptsRead: Int
    public var truncated: Bool

    enum CodingKeys: String, CodingKey {
        case workers, minutes, truncated
        case generatedAt = "generated_at"
        case taskTypes = "task_types"
        case attemptsRead = "attempts_read"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Timestamp.string(from: generatedAt), forKey: .generatedAt)
        try container.encode(taskTypes, forKey: .taskTypes)
        try container.encode(workers, forKey: .workers)
        try container.encode(minutes, forKey: .minutes)
        try container.encode(attemptsRead, forKey: .attemptsRead)
        try container.encode(truncated, forKey: .truncated)
    }
}

extension QueueStats {
    /// Builds the report from what the store read; pure, so its arithmetic is tested
    /// without a database.
    public init(
        queue: [TypeQueue], ended: [EndedCount], attempts: AttemptSummary, paused: [String: Date] = [:],
        limits: TaskLimits = .none, now: Date
    ) {
        var types: [String: TypeStats] = [:]
        func stats(_ type: String) -> TypeStats { types[type] ?? TypeStats(taskType: type) }
        for (type, at) in paused {
            types[type, default: TypeStats(taskType: type)].pausedAt = at
        }
        for (type, limit) in limits.byType {
            types[type, default: TypeStats(taskType: type)].limit = LimitStats(limit)
        }
        for live in queue {
            var entry = stats(live.taskType)
            entry.pending = live.pending
            entry.due = live.due
            entry.processing = live.processing
            entry.oldestDueAgeSeconds = live.oldestDue.map { max(0, now.timeIntervalSince($0)) }
            types[live.taskType] = entry
        }
        for count in ended {
            var entry = stats(count.taskType)
            entry.failed = count.failed
            entry.cancelled = count.cancelled
            types[count.taskType] = entry
        }
        for summary in attempts.types {
            var entry = stats(summary.taskType)
            entry.completedLast = summary.completedLast
            entry.failedLast = summary.failedLast
            entry.attempts = summary.attempts
            entry.failureRate = summary.attempts > 0 ? Double(summary.failedAttempts) / Double(summary.attempts) : nil
            entry.runMs = summary.runMs
            entry.waitMs = summary.waitMs
            types[summary.taskType] = entry
        }
        self.init(
            generatedAt: now, taskTypes: types.values.sorted { $0.taskType < $1.taskType },
            workers: attempts.workers.sorted { $0.workerID < $1.workerID }, minutes: attempts.minutes, attemptsRead: attempts.read,
            truncated: attempts.truncated)
    }
}
