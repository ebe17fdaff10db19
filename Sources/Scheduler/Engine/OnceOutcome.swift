import Synchronization

/// Delivers the first outcome to the waiting continuation and ignores the rest, whatever
/// order the handler, the timer and cancellation arrive in.
final class OnceOutcome: Sendable {
    private struct State {
        var continuation: CheckedContinuation<HandlerOutcome, Never>?
        var outcome: HandlerOutcome?
        var cleanup: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    /// Hands over the continuation to resume with the outcome; `false` when there is one
    /// already, which resumed it at once.
    func setContinuation(_ continuation: CheckedContinuation<HandlerOutcome, Never>) -> Bool {
        let early = state.withLock { state -> HandlerOutcome? in
            if let outcome = state.outcome { return outcome }
            state.continuation = continuation
            return nil
        }
        guard let early else { return true }
        continuation.resume(returning: early)
        return false
    }

    func setCleanup(_ cleanup: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.outcome != nil { return true }
            state.cleanup = cleanup
            return false
        }
        if runNow { cleanup() }
    }

    func finish(_ outcome: HandlerOutcome) {
        let (continuation, cleanup) = state.withLock {
            state -> (CheckedContinuation<HandlerOutcome, Never>?, (@Sendable () -> Void)?) in
            guard state.outcome == nil else { return (nil, nil) }
            state.outcome = outcome
            let continuation = state.continuation
            state.continuation = nil
            defer { state.cleanup = nil }
            return (continuation, state.cleanup)
        }
        continuation?.resume(returning: outcome)
        cleanup?()
    }
}
