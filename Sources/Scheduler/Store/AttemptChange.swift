import Foundation

/// The column values an ``AttemptRecord`` writes to its task, shared by both stores so
/// they cannot disagree on what "completed", "retry" and "failed" mean.
package struct AttemptChange {
    package let status: TaskStatus
    /// 1 when the task goes back for another attempt, else 0.
    package let retryIncrement: Int
    /// The new `scheduled_for` of a retry.
    package let retryAt: Date?
    package let resultJSON: String?
    package let completedAt: Date?
    /// The line appended to `error_log`, for failures.
    package let errorLine: String?

    package init(_ record: AttemptRecord) {
        errorLine = record.errorLogLine
        switch record.outcome {
        case .completed(let resultJSON):
            status = .completed
            retryIncrement = 0
            retryAt = nil
            self.resultJSON = resultJSON
            completedAt = record.finishedAt
        case .retry(let at, _):
            status = .pending
            retryIncrement = 1
            retryAt = at
            resultJSON = nil
            completedAt = nil
        case .cancelled:
            status = .cancelled
            retryIncrement = 0
            retryAt = nil
            resultJSON = nil
            completedAt = nil
        case .failed:
            status = .failed
            retryIncrement = 0
            retryAt = nil
            resultJSON = nil
            completedAt = nil
        }
    }
}
