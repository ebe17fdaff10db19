import Foundation

/// The answer to an enqueue: the task, and whether this call created it or found it by
/// its idempotency key.
public struct EnqueueResult: Sendable, Hashable {
    public var task: AgentTask
    public var created: Bool

    public init(task: AgentTask, created: Bool) {
        self.task = task
        self.created = created
    }
}
