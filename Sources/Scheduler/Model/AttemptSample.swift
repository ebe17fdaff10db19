import Foundation

/// One finished attempt as the queue analytics read it from the action log.
public struct AttemptSample: Sendable, Hashable {
    public var taskType: String
    public var workerID: String?
    /// `completed`, `retrying` or `failed` (``AttemptRecord/Outcome/word``).
    public var outcome: String
    public var runMs: Int
    /// From `scheduled_for` to the start; absent on rows logged before it was recorded.
    public var waitMs: Int?
    public var finishedAt: Date

    public init(taskType: String, workerID: String?, outcome: String, runMs: Int, waitMs: Int?, finishedAt: Date) {
        self.taskType = taskType
        self.workerID = workerID
        self.outcome = outcome
        self.runMs = runMs
        self.waitMs = waitMs
        self.finishedAt = finishedAt
    }

    /// Whether the attempt failed (to be retried, or for good); a cancelled one did not.
    var failed: Bool { outcome == "retrying" || outcome == "failed" }
}
