extension TaskCounts {
    /// Builds counts from `(status, task_type, count)` groups of at most `limit` rows
    /// per status.
    package init(groups: [(status: String, type: String, count: Int)], registeredTypes: [String], limit: Int) {
        let registered = Set(registeredTypes)
        self.init()
        for group in groups {
            if let status = TaskStatus(rawValue: group.status) { byStatus[status, default: 0] += group.count }
            byType[group.type, default: 0] += group.count
            if group.status == TaskStatus.pending.rawValue, !registered.contains(group.type) {
                unroutable += group.count
            }
        }
        capped = byStatus.values.contains { $0 >= limit }
    }
}
