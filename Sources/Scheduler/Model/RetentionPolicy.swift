import Foundation

/// How long finished work is kept (`RETENTION_COMPLETED`, `RETENTION_FAILED`,
/// `RETENTION_LOG`): durations such as `14d`, or `off` to keep forever. Pending and
/// processing tasks are never pruned, whatever their age.
public struct RetentionPolicy: Sendable, Hashable {
    /// Completed and cancelled tasks, counted from their last change.
    public var completed: TimeInterval?
    /// Tasks failed for good, kept longer by default: someone may still retry them.
    public var failed: TimeInterval?
    /// Action-log rows, and webhook deliveries that are no longer pending.
    public var log: TimeInterval?

    public init(
        completed: TimeInterval? = 14 * 86_400, failed: TimeInterval? = 30 * 86_400, log: TimeInterval? = 30 * 86_400
    ) {
        self.completed = completed
        self.failed = failed
        self.log = log
    }

    /// Nothing is ever pruned.
    public static let off = RetentionPolicy(completed: nil, failed: nil, log: nil)

    /// Reads one retention value: a duration, or `off`; `nil` when it is neither.
    public static func age(parsing text: String) -> TimeInterval?? {
        if text.trimmingCharacters(in: .whitespaces).lowercased() == "off" { return .some(nil) }
        return DurationText.seconds(text).map { .some($0) }
    }

    /// Each target with the time before which its rows go, as of `now`.
    public func cutoffs(now: Date) -> [(target: PruneTarget, before: Date)] {
        [
            (PruneTarget.finishedTasks, completed), (.failedTasks, failed), (.actionLog, log), (.webhookDeliveries, log),
        ].compactMap { target, age in age.map { (target, now.addingTimeInterval(-$0)) } }
    }
}

/// What pruning deletes, one kind of row at a time.
public enum PruneTarget: String, Sendable, CaseIterable, Codable {
    /// Completed and cancelled tasks.
    case finishedTasks = "completed_tasks"
    case failedTasks = "failed_tasks"
    case actionLog = "action_log_rows"
    /// Delivered or given-up webhook deliveries.
    case webhookDeliveries = "webhook_deliveries"
}
