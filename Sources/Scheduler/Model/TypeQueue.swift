import Foundation

/// The live tasks of one task type: how many wait, how many of those are due, how many
/// run, and since when the oldest due one has waited — the figures behind "why is this
/// task not running?".
public struct TypeQueue: Sendable, Hashable {
    public var taskType: String
    public var pending: Int
    /// Pending tasks whose `scheduled_for` has passed.
    public var due: Int
    public var processing: Int
    /// The earliest `scheduled_for` among the due tasks.
    public var oldestDue: Date?

    public init(taskType: String, pending: Int = 0, due: Int = 0, processing: Int = 0, oldestDue: Date? = nil) {
        self.taskType = taskType
        self.pending = pending
        self.due = due
        self.processing = processing
        self.oldestDue = oldestDue
    }

    /// Adds one row of a store's grouped counts.
    package mutating func add(pending: Int, due: Int, processing: Int, oldestDue: Date?) {
        self.pending += pending
        self.due += due
        self.processing += processing
        if let oldestDue { self.oldestDue = min(self.oldestDue ?? oldestDue, oldestDue) }
    }
}
