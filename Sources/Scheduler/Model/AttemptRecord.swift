import Foundation

/// The result of one attempt at a claimed task, ready to be written back.
///
/// The store applies it only while the worker still holds the task's lease for the same
/// attempt, and writes the task update and its action-log row in one transaction.
public struct AttemptRecord: Sendable, Hashable {
    /// How the attempt ended and what happens to the task next.
    public enum Outcome: Sendable, Hashable {
        /// The handler returned; the task is `completed` with this result JSON.
        case completed(resultJSON: String)
        /// The attempt failed and the task runs again at the given time.
        case retry(at: Date, error: String)
        /// The attempt failed for good: the task is `failed` (the dead letter).
        case failed(error: String)
        /// The attempt was stopped because cancellation was requested: the task is
        /// `cancelled`. The store also ends this way any attempt whose task had
        /// cancellation requested, whatever it returned.
        case cancelled(reason: String)

        /// The error text, for the failure outcomes.
        public var error: String? {
            switch self {
            case .completed: nil
            case .retry(_, let error), .failed(let error), .cancelled(let error): error
            }
        }
    }

    public var task: AgentTask
    public var workerID: String
    public var startedAt: Date
    public var finishedAt: Date
    public var outcome: Outcome
    /// Progress the handler reported that is not stored yet (held back by the throttle),
    /// as ``TaskProgress`` JSON: written with the result.
    public var progressJSON: String?

    public init(
        task: AgentTask, workerID: String, startedAt: Date, finishedAt: Date, outcome: Outcome,
        progressJSON: String? = nil
    ) {
        self.task = task
        self.workerID = workerID
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.progressJSON = progressJSON
    }

    /// This record as the store applied it to a task whose cancellation was requested:
    /// the attempt ended the task `cancelled`, whatever it returned.
    func cancelledOnRequest() -> AttemptRecord {
        if case .cancelled = outcome { return self }
        var record = self
        record.outcome = .cancelled(reason: Self.cancelReason)
        return record
    }

    /// What the action log says of an attempt stopped by a cancellation request.
    package static let cancelReason = "cancelled on request"

    /// Milliseconds from the handler's start to its end, at most what the log's 32-bit
    /// `latency_ms` holds (a rescue of a row claimed long ago would pass it).
    public var latencyMs: Int {
        min(Int(Int32.max), max(0, Int((finishedAt.timeIntervalSince(startedAt) * 1000).rounded())))
    }

    /// Milliseconds from the task's `scheduled_for` to the attempt's start: how long it
    /// waited for a worker.
    public var waitMs: Int {
        max(0, Int((startedAt.timeIntervalSince(task.scheduledFor) * 1000).rounded()))
    }

    /// The line appended to the task's `error_log` for a failed attempt.
    public var errorLogLine: String? {
        if case .cancelled = outcome { return nil }
        return outcome.error.map { "attempt \(task.attempt) at \(Timestamp.string(from: finishedAt)): \($0)" }
    }
}
