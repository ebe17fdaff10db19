/// A failure a handler reports, saying whether trying again could help.
///
/// A permanent failure (bad input, a forbidden field, a missing record that will never
/// appear) fails the task at once; a retryable one (a dependency down, a timeout) sends
/// it back with backoff until `max_retries` is reached.
public struct HandlerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Whether another attempt could succeed.
    public var isRetryable: Bool
    /// What went wrong, written for the person reading `error_log`.
    public var message: String

    public init(message: String, isRetryable: Bool) {
        self.message = message
        self.isRetryable = isRetryable
    }

    /// A failure that another attempt may not repeat.
    public static func retryable(_ message: String) -> HandlerError {
        HandlerError(message: message, isRetryable: true)
    }

    /// A failure that no retry can fix.
    public static func permanent(_ message: String) -> HandlerError {
        HandlerError(message: message, isRetryable: false)
    }

    public var description: String { message }
}
