/// How many tasks are in each state and of each type, for health and `tasks` output.
public struct TaskCounts: Sendable, Hashable, Codable {
    /// Count per status; statuses with no rows are absent.
    public var byStatus: [TaskStatus: Int]
    /// Count per task type, all statuses together.
    public var byType: [String: Int]
    /// Pending tasks whose type no handler here is registered for: they wait untouched.
    public var unroutable: Int

    public init(byStatus: [TaskStatus: Int] = [:], byType: [String: Int] = [:], unroutable: Int = 0) {
        self.byStatus = byStatus
        self.byType = byType
        self.unroutable = unroutable
    }

    /// The number of tasks with the given status.
    public subscript(status: TaskStatus) -> Int { byStatus[status, default: 0] }
}
