import Synchronization

/// How one run of a handler ended.
enum HandlerOutcome: Sendable {
    case returned(String)
    case threw(any Error)
    case timedOut(Duration)
    /// The engine cancelled the attempt (shutdown or a lost lease).
    case cancelled
    /// Someone asked to cancel the task (``TaskStore/cancel(id:now:)``).
    case cancelRequested
}

/// Why the engine stops a running attempt.
enum StopReason: Sendable {
    /// Shutdown or a lost lease: the task goes back to `pending` (or to the worker that
    /// holds it now) without charging an attempt.
    case released
    /// Cancellation was requested: the task ends `cancelled`.
    case requested
    /// The handler ran past its timeout: the attempt fails (and is retried if it may be).
    case timedOut(Duration)
}
