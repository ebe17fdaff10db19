import Scheduler

extension JSONValue {
    /// `queue_stats` as an agent needs it: without the types that have no tasks and no
    /// state (paused, limited), and without the per-minute series unless `perMinute`,
    /// which together made the answer several kilobytes of an agent's context.
    func compactStats(perMinute: Bool) -> JSONValue {
        guard case .object(var stats) = self else { return self }
        if !perMinute { stats["minutes"] = nil }
        if case .array(let types)? = stats["task_types"] {
            stats["task_types"] = .array(types.filter(\.hasActivity))
        }
        return .object(stats)
    }

    /// Whether a task type's entry of the stats shows any task, attempt, pause or limit.
    private var hasActivity: Bool {
        guard case .object(let entry) = self else { return true }
        let counts = ["pending", "due", "processing", "failed", "cancelled", "attempts"]
        let busy = counts.contains { key in
            if case .number(let value)? = entry[key] { return value != 0 }
            return false
        }
        return busy || entry["paused"] == .bool(true) || (entry["limit"] != nil && entry["limit"] != .null)
    }
}
