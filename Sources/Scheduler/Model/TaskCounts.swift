/// How many live tasks (`pending` and `processing`) there are of each status and type,
/// for `GET /health`.
///
/// Only the live ones: they are found through the claim and lease indexes, so counting
/// them costs the same however long the history of finished tasks grows; and at most
/// ``limit`` of each status, so a backlog of millions does not make the count itself
/// slow (10,000,000 pending tasks took 1.4 s to count in full, near the 2 s the health
/// check gives the database before it answers 503; SCALING.md).
public struct TaskCounts: Sendable, Hashable, Codable {
    /// Count per live status; a status with no rows is absent.
    public var byStatus: [TaskStatus: Int]
    /// Count per task type, both live statuses together.
    public var byType: [String: Int]
    /// Pending tasks whose type no handler here is registered for: they wait untouched.
    public var unroutable: Int
    /// Whether a status reached the counting limit: the real numbers are at least these.
    public var capped = false

    /// The most tasks of one status counted.
    public static let limit = 100_000

    public init(byStatus: [TaskStatus: Int] = [:], byType: [String: Int] = [:], unroutable: Int = 0, capped: Bool = false) {
        self.byStatus = byStatus
        self.byType = byType
        self.unroutable = unroutable
        self.capped = capped
    }

    /// The number of tasks with the given status.
    public subscript(status: TaskStatus) -> Int { byStatus[status, default: 0] }
}
