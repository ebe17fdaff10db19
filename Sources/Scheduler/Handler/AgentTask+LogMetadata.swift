import Logging

extension AgentTask {
    /// What every log line about an attempt at this task carries: its id, type and
    /// attempt number.
    var logMetadata: Logger.Metadata {
        ["task_id": "\(id.lowercasedString)", "task_type": "\(taskType)", "attempt": "\(attempt)"]
    }
}
