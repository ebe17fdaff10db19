import Synchronization

/// How one run of a handler ended.
enum HandlerOutcome: Sendable {
    case returned(String)
    case threw(any Error)
    case timedOut(Duration)
    /// The engine cancelled the attempt (shutdown or a lost lease).
    case cancelled
}
