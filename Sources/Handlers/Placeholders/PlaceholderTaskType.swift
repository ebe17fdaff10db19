import Scheduler

/// Names one placeholder task type.
public protocol PlaceholderTaskType: Sendable {
    static var taskType: String { get }
}
