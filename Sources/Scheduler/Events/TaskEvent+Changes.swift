import Foundation

extension TaskEvent {
    /// The event of a change whose new row the store read back: a creation, claim,
    /// cancellation, manual retry, release or progress report.
    package static func changed(_ kind: Kind, _ task: AgentTask, at now: Date) -> TaskEvent {
        let running = kind == .started || kind == .progress
        return TaskEvent(
            kind: kind, taskID: task.id, taskType: task.taskType, userID: task.userID, status: task.status,
            attempt: kind == .created ? nil : (running ? task.attempt : task.attempts),
            workerID: running ? task.lockedBy : nil, publishedAt: now,
            details: kind.hasDetails ? TaskEventDetails(readBack: task) : nil)
    }

    /// The events of an attempt result that applied: `task.completed`,
    /// `task.retry_scheduled` or `task.failed`; for a lease rescue `task.rescued`, and
    /// `task.failed` too when the rescue ends the task.
    package static func finished(_ record: AttemptRecord, rescued: Bool) -> [TaskEvent] {
        let task = record.task
        func event(_ kind: Kind, _ status: TaskStatus, _ details: TaskEventDetails) -> TaskEvent {
            TaskEvent(
                kind: kind, taskID: task.id, taskType: task.taskType, userID: task.userID, status: status,
                attempt: task.attempt, workerID: record.workerID, publishedAt: record.finishedAt, details: details)
        }
        switch record.outcome {
        case .completed(let result):
            return [event(.completed, .completed, TaskEventDetails(resultJSON: result))]
        case .retry(let at, let error):
            return [event(rescued ? .rescued : .retryScheduled, .pending, TaskEventDetails(error: error, nextRunAt: at))]
        case .cancelled(let reason):
            return [event(rescued ? .rescued : .cancelled, .cancelled, TaskEventDetails(error: reason))]
                + (rescued ? [event(.cancelled, .cancelled, TaskEventDetails(error: reason))] : [])
        case .failed(let error):
            let details = TaskEventDetails(error: error)
            return rescued ? [event(.rescued, .failed, details), event(.failed, .failed, details)] : [event(.failed, .failed, details)]
        }
    }
}
