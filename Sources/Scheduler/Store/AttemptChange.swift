import Foundation

/// The column values an ``AttemptRecord`` writes to its task, shared by both stores so
/// they cannot disagree on what "completed", "retry" and "failed" mean.
struct AttemptChange {
    let status: TaskStatus
    /// 1 when the task goes back for another attempt, else 0.
    let retryIncrement: Int
    /// The new `scheduled_for` of a retry.
    let retryAt: Date?
    let resultJSON: String?
    let completedAt: Date?
    /// The line appended to `error_log`, for failures.
    let errorLine: String?

    init(_ record: AttemptRecord) {
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
        case .failed:
            status = .failed
            retryIncrement = 0
            retryAt = nil
            resultJSON = nil
            completedAt = nil
        }
    }
}

/// What the rescuer writes for a task whose worker stopped renewing its lease: the
/// attempt counts as a retryable failure, as if the handler had thrown.
enum LeaseRescue {
    static func record(for task: AgentTask, now: Date, policy: RetryPolicy) -> AttemptRecord {
        let worker = task.lockedBy ?? "unknown"
        let error = "lease expired: worker \(worker) stopped renewing it (crashed or stalled)"
        let outcome: AttemptRecord.Outcome =
            switch policy.decide(retryCount: task.retryCount, maxRetries: task.maxRetries, retryable: true, now: now) {
            case .retry(let at): .retry(at: at, error: error)
            case .fail: .failed(error: error)
            }
        return AttemptRecord(
            task: task,
            workerID: worker,
            startedAt: task.lastAttemptedAt ?? now,
            finishedAt: now,
            outcome: outcome
        )
    }
}

extension AgentTask {
    /// The order claims hand tasks out in: priority rank, then `scheduled_for`.
    static func claimOrder(_ lhs: AgentTask, _ rhs: AgentTask) -> Bool {
        (lhs.priority.rank, lhs.scheduledFor) < (rhs.priority.rank, rhs.scheduledFor)
    }
}

extension TaskCounts {
    /// Builds counts from `(status, task_type, count)` groups.
    init(groups: [(status: String, type: String, count: Int)], registeredTypes: [String]) {
        let registered = Set(registeredTypes)
        self.init()
        for group in groups {
            if let status = TaskStatus(rawValue: group.status) { byStatus[status, default: 0] += group.count }
            byType[group.type, default: 0] += group.count
            if group.status == TaskStatus.pending.rawValue, !registered.contains(group.type) {
                unroutable += group.count
            }
        }
    }
}
