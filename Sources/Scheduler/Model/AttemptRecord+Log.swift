import Logging

extension AttemptRecord.Outcome {
    /// One word for logs: `completed`, `retrying`, `failed` or `cancelled`.
    public var word: String {
        switch self {
        case .completed: "completed"
        case .retry: "retrying"
        case .failed: "failed"
        case .cancelled: "cancelled"
        }
    }
}

extension AttemptRecord {
    /// What the log line of a finished attempt carries: type, id, attempt, outcome,
    /// duration, and the error or the next run time where there is one.
    var logMetadata: Logger.Metadata {
        var metadata = task.logMetadata
        metadata["outcome"] = "\(outcome.word)"
        metadata["duration_ms"] = "\(latencyMs)"
        if let error = outcome.error { metadata["error"] = "\(error)" }
        if case .retry(let at, _) = outcome { metadata["retry_at"] = "\(Timestamp.string(from: at))" }
        return metadata
    }
}
