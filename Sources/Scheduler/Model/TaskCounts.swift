/// How many live tasks (`pending` and `processing`) there are of each status and type,
/// for `GET /health`.
///
/// Only the live ones: they are found through the claim and lease indexes, so counting
/// them costs the same however long the history of finished tasks grows, well inside the
/// 2 s the health check gives the database before it answers 503.
public struct TaskCounts: Sendable, Hashable, Codable {
    /// Count per live status; a status with no rows is absent.
    public var byStatus: [TaskStatus: Int]
    /// Count per task type, both live statuses together.
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
