/// The rows each ``PruneTarget`` deletes, as SQL both databases read: a `WHERE` over the
/// target's table whose `$before`-like placeholder is given by the caller, and the
/// order in which a batch takes them (along an index, so a batch stops early).
package enum PruneSQL {
    package static func table(_ target: PruneTarget) -> String {
        switch target {
        case .finishedTasks, .failedTasks: "agent_tasks"
        case .actionLog: "agent_actions_log"
        case .webhookDeliveries: "agent_webhook_deliveries"
        }
    }

    /// The condition, with `before` standing for the bound cutoff. Tasks are found
    /// through their `created_at` index: a task last changed before the cutoff was
    /// created before it too.
    package static func condition(_ target: PruneTarget, before: String) -> String {
        switch target {
        case .finishedTasks:
            "created_at < \(before) AND status IN ('completed', 'cancelled') AND updated_at < \(before)"
        case .failedTasks:
            "created_at < \(before) AND status = 'failed' AND updated_at < \(before)"
        case .actionLog:
            "created_at < \(before)"
        case .webhookDeliveries:
            "status <> 'pending' AND created_at < \(before)"
        }
    }

    /// The `ORDER BY` of a batch, where an index serves it.
    package static func order(_ target: PruneTarget) -> String {
        switch target {
        case .finishedTasks, .failedTasks: "ORDER BY created_at"
        case .actionLog, .webhookDeliveries: ""
        }
    }
}
