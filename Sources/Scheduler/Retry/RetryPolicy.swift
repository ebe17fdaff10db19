import Foundation

/// When a failed task runs again, and when it stops trying.
///
/// Seed 001's schedule: attempt 2 runs one base delay after attempt 1 fails, then each
/// wait doubles (1, 2, 4 minutes with the default base), and after `max_retries` retries
/// the task fails for good.
public struct RetryPolicy: Sendable, Hashable {
    /// The wait before the first retry; later waits double it.
    public var baseDelay: Duration
    /// The largest wait, so that a huge `max_retries` cannot push a retry past any
    /// reasonable horizon or overflow the arithmetic.
    public var maximumDelay: Duration

    public init(baseDelay: Duration = .seconds(60), maximumDelay: Duration = .seconds(86_400)) {
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// What happens after a failed attempt.
    public enum Decision: Sendable, Hashable {
        case retry(at: Date)
        case fail
    }

    /// The wait after a failure of a task that has already been retried `retryCount` times.
    public func delay(retryCount: Int) -> Duration {
        let exponent = min(max(retryCount, 0), 40)
        let delay = baseDelay * (1 << exponent)
        return min(delay, maximumDelay)
    }

    /// Decides a failed attempt's fate: retry later while `retryCount < maxRetries` and the
    /// error allows it, otherwise fail for good.
    public func decide(retryCount: Int, maxRetries: Int, retryable: Bool, now: Date) -> Decision {
        guard retryable, retryCount < maxRetries else { return .fail }
        return .retry(at: now.addingTimeInterval(delay(retryCount: retryCount).timeInterval))
    }

    /// The outcome of `task`'s attempt failing at `now` with `error`: a retry or the end.
    /// One decision for in-process handlers, remote workers and lease rescues.
    public func outcome(of task: AgentTask, failingWith error: String, retryable: Bool, now: Date) -> AttemptRecord.Outcome {
        switch decide(retryCount: task.retryCount, maxRetries: task.maxRetries, retryable: retryable, now: now) {
        case .retry(let at): .retry(at: at, error: error)
        case .fail: .failed(error: error)
        }
    }
}
