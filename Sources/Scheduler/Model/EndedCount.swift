/// How many tasks of one type ended failed or cancelled, over the whole history
/// (counted through a partial index that completed tasks never enter).
public struct EndedCount: Sendable, Hashable {
    public var taskType: String
    public var failed: Int
    public var cancelled: Int

    public init(taskType: String, failed: Int = 0, cancelled: Int = 0) {
        self.taskType = taskType
        self.failed = failed
        self.cancelled = cancelled
    }
}
