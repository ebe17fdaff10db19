import Foundation

/// The part of a ``TaskEvent`` that says what the change produced: the result of a
/// completion, the error of a failure, when a retry runs, the progress reported.
public struct TaskEventDetails: Sendable, Hashable {
    /// The handler's result, as JSON text (`task.completed`).
    public var resultJSON: String?
    /// The attempt's error (`task.retry_scheduled`, `task.failed`, `task.rescued`).
    public var error: String?
    /// When the task runs next (`task.retry_scheduled`, `task.rescued`, `task.retried`).
    public var nextRunAt: Date?
    /// The progress reported (`task.progress`).
    public var progress: TaskProgress?

    public init(resultJSON: String? = nil, error: String? = nil, nextRunAt: Date? = nil, progress: TaskProgress? = nil) {
        self.resultJSON = resultJSON
        self.error = error
        self.nextRunAt = nextRunAt
        self.progress = progress
    }

    /// The details as the task row holds them now, for an event heard from another
    /// instance: the result, the last line of the error log, the next run of a pending
    /// task, and the progress.
    package init(readBack task: AgentTask) {
        resultJSON = task.resultJSON
        error = task.errorLog?.split(separator: "\n").last.map(String.init)
        nextRunAt = task.status == .pending ? task.scheduledFor : nil
        progress = task.progressJSON.flatMap(TaskProgress.init(json:))
    }
}
