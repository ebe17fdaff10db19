import Foundation
import Logging

/// Runs one claimed task's handler and turns how it ended into an ``AttemptRecord``:
/// the one place that decides completed, retry or failed.
struct AttemptRunner: Sendable {
    let store: any TaskStore
    let registry: HandlerRegistry
    let configuration: EngineConfiguration
    let clock: any WallClock
    let logger: Logger

    /// Runs the attempt through `execution`; `nil` when the engine cancelled it (shutdown
    /// or a lost lease), in which case the task is released rather than charged an attempt.
    /// A task whose cancellation was requested (before the claim, or while it runs) ends
    /// `cancelled`.
    func run(_ task: AgentTask, in execution: HandlerExecution) async -> AttemptRecord? {
        let startedAt = clock.now
        if task.cancelRequestedAt != nil {
            return AttemptRecord(
                task: task, workerID: configuration.workerID, startedAt: startedAt, finishedAt: startedAt,
                outcome: .cancelled(reason: AttemptRecord.cancelReason))
        }
        let progress = ProgressReporter(
            store: store, task: task, workerID: configuration.workerID, clock: clock,
            interval: configuration.progressInterval, logger: logger)
        let invocation = TaskInvocation(task: task, startedAt: startedAt, logger: logger, progress: progress)
        let registry = registry
        let outcome = await execution.run {
            try await registry.run(taskType: task.taskType, contextJSON: task.contextJSON, invocation: invocation)
        }
        let finishedAt = clock.now
        let unwrittenProgress = progress.finish()

        let recordOutcome: AttemptRecord.Outcome
        switch outcome {
        case .returned(let resultJSON):
            recordOutcome = .completed(resultJSON: StoredText.json(resultJSON))
        case .threw(let error as HandlerError):
            recordOutcome = failure(task, error.message, retryable: error.isRetryable, now: finishedAt)
        case .threw(let error):
            recordOutcome = failure(task, String(describing: error), retryable: true, now: finishedAt)
        case .timedOut(let limit):
            recordOutcome = failure(task, "timed out after \(limit)", retryable: true, now: finishedAt)
        case .cancelled:
            logger.info("attempt cancelled before it finished; the task will be released", metadata: task.logMetadata)
            return nil
        case .cancelRequested:
            recordOutcome = .cancelled(reason: AttemptRecord.cancelReason)
        }

        return AttemptRecord(
            task: task,
            workerID: configuration.workerID,
            startedAt: startedAt,
            finishedAt: finishedAt,
            outcome: recordOutcome,
            progressJSON: unwrittenProgress
        )
    }

    /// How long the task's handler may run before it is stopped as timed out.
    func timeout(for task: AgentTask) -> Duration {
        registry.timeout(for: task.taskType) ?? configuration.handlerTimeout
    }

    private func failure(_ task: AgentTask, _ message: String, retryable: Bool, now: Date) -> AttemptRecord.Outcome {
        configuration.retryPolicy.outcome(of: task, failingWith: StoredText.text(message), retryable: retryable, now: now)
    }
}
