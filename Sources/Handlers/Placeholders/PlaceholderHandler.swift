import Scheduler

/// A task type of the task processor this project replaces that other services already enqueue but nobody has built
/// yet. It is registered so such tasks are not left unroutable, and fails each one
/// permanently with "handler not implemented", leaving an action-log row behind.
public struct PlaceholderHandler<Name: PlaceholderTaskType>: TaskHandler {
    /// Any JSON object; it is not read.
    public struct Context: Codable, Sendable {}

    /// Never produced: the handler always fails.
    public struct Result: Encodable, Sendable {}

    public static var taskType: String { Name.taskType }

    public static var taskDescription: String {
        "Not built yet: every task of this type fails at once with \"handler not implemented\". Do not schedule one."
    }

    public static var contextSchema: ContextSchema { .anyObject("Any JSON object; it is not read.") }

    /// Agents get no tool for it: there is nothing to schedule.
    public static var offeredToAgents: Bool { false }

    public init() {}

    public func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        throw HandlerError.permanent("handler not implemented for task type '\(Name.taskType)'")
    }
}
