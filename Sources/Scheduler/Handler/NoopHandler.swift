/// The built-in handler that does nothing and returns at once.
///
/// It exercises the engine end to end without any domain, and is what `bench` and
/// diagnostics enqueue.
public struct NoopHandler: TaskHandler {
    /// Any JSON object; its fields are ignored.
    public struct Context: Codable, Sendable, Hashable {
        public init() {}
    }

    /// An empty JSON object.
    public struct Result: Encodable, Sendable {}

    public static let taskType = "noop"

    public static let taskDescription = "Does nothing and completes at once: for checking that the scheduler runs tasks."

    public static let contextSchema = ContextSchema.anyObject("Any JSON object; it is not read.")

    public init() {}

    public func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        Result()
    }
}
