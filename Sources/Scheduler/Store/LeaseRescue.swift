import Foundation

/// What the rescuer writes for a task whose worker stopped renewing its lease: the
/// attempt counts as a retryable failure, as if the handler had thrown.
package enum LeaseRescue {
    package static func record(for task: AgentTask, now: Date, policy: RetryPolicy) -> AttemptRecord {
        let worker = task.lockedBy ?? "unknown"
        let error = "lease expired: worker \(worker) stopped renewing it (crashed or stalled)"
        let outcome = policy.outcome(of: task, failingWith: error, retryable: true, now: now)
        return AttemptRecord(
            task: task,
            workerID: worker,
            startedAt: task.lastAttemptedAt ?? now,
            finishedAt: now,
            outcome: outcome
        )
    }
}
