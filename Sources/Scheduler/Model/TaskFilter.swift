import Foundation

/// Which tasks a listing returns. Every field left `nil` matches everything.
public struct TaskFilter: Sendable, Hashable {
    public var status: TaskStatus?
    public var taskType: String?
    public var userID: UUID?
    /// At most this many rows, newest `created_at` first.
    public var limit: Int

    public init(status: TaskStatus? = nil, taskType: String? = nil, userID: UUID? = nil, limit: Int = 50) {
        self.status = status
        self.taskType = taskType
        self.userID = userID
        self.limit = limit
    }
}
