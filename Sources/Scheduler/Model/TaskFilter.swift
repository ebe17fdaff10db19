import Foundation

/// Which tasks a listing returns. Every field left `nil` matches everything.
public struct TaskFilter: Sendable, Hashable {
    public var status: TaskStatus?
    public var taskType: String?
    public var userID: UUID?
    /// The task enqueued with this idempotency key.
    public var idempotencyKey: String?
    /// Only tasks created at or after this time.
    public var createdAfter: Date?
    /// At most this many rows, newest `created_at` first (ties by id, descending).
    public var limit: Int
    /// Continue after this task: the last task of the previous page.
    public var after: UUID?

    public init(
        status: TaskStatus? = nil, taskType: String? = nil, userID: UUID? = nil, idempotencyKey: String? = nil,
        createdAfter: Date? = nil, limit: Int = 50, after: UUID? = nil
    ) {
        self.status = status
        self.taskType = taskType
        self.userID = userID
        self.idempotencyKey = idempotencyKey
        self.createdAfter = createdAfter
        self.limit = limit
        self.after = after
    }
}
