import Foundation

/// Which events a client of the stream wants: any combination of one task, one task
/// type, one user and a set of kinds; an empty filter passes everything.
public struct EventFilter: Sendable, Hashable {
    public var taskID: UUID?
    public var taskType: String?
    public var userID: UUID?
    /// The kinds wanted; empty means every kind.
    public var kinds: Set<TaskEvent.Kind>

    public init(taskID: UUID? = nil, taskType: String? = nil, userID: UUID? = nil, kinds: Set<TaskEvent.Kind> = []) {
        self.taskID = taskID
        self.taskType = taskType
        self.userID = userID
        self.kinds = kinds
    }

    public func matches(_ event: TaskEvent) -> Bool {
        if let taskID, event.taskID != taskID { return false }
        if let taskType, event.taskType != taskType { return false }
        if let userID, event.userID != userID { return false }
        if !kinds.isEmpty, !kinds.contains(event.kind) { return false }
        return true
    }
}
