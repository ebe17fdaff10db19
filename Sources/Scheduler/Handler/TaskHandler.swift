import Foundation
import Logging

/// A plugin that performs one task type.
///
/// The engine decodes `context_json` into `Context` before calling `handle`, so a handler
/// never sees untyped JSON, and encodes the returned `Result` into `result_json`. Throw a
/// ``HandlerError`` to say whether a failure is worth retrying; any other error counts
/// as retryable.
public protocol TaskHandler: Sendable {
    /// The handler's typed input, decoded from the task's `context_json`.
    associatedtype Context: Codable & Sendable
    /// What the handler returns; stored as the task's `result_json`.
    associatedtype Result: Encodable & Sendable

    /// The `task_type` this handler serves; unique within a registry.
    static var taskType: String { get }

    /// What a task of this type does, for the agent deciding whether to schedule one
    /// (`GET /task-types`, the MCP tool's description).
    static var taskDescription: String { get }

    /// The JSON Schema of `Context`, with a description of each field: what an agent
    /// must send. It must accept what `Context` decodes and ``validate(_:)`` passes, and
    /// refuse the rest for the same field.
    static var contextSchema: ContextSchema { get }

    /// How long one attempt may run before it is cancelled and counted as a retryable
    /// failure; `nil` uses the engine's default.
    static var timeout: Duration? { get }

    /// Whether a task of this type is about a user; enqueueing one without a `user_id`
    /// is refused, since no retry could make it run.
    static var requiresUser: Bool { get }

    /// Whether agents are offered this type as an MCP tool (`enqueue_<type>`); `false`
    /// for types that exist only so other services' rows are not left unroutable, and
    /// that an agent should never schedule.
    static var offeredToAgents: Bool { get }

    /// Checks a decoded context for what its type cannot express (an allow-list, a
    /// range), so that a task certain to fail is refused at enqueue time. Throw a
    /// ``HandlerError`` whose message names the field; the default accepts every context.
    static func validate(_ context: Context) throws

    /// Performs the task.
    func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result
}

extension TaskHandler {
    public static var timeout: Duration? { nil }
    public static var requiresUser: Bool { false }
    public static var offeredToAgents: Bool { true }
    public static func validate(_ context: Context) throws {}
}
