import Synchronization

/// How one run of a handler ended.
enum HandlerOutcome: Sendable {
    case returned(String)
    case threw(any Error)
    case timedOut(Duration)
    /// The engine cancelled the attempt (shutdown or a lost lease).
    case cancelled
}

/// One run of a handler, with a deadline, in a task of its own, so that a handler that
/// ignores cancellation and never returns still frees its slot at the deadline.
///
/// The engine keeps the execution to cancel it (at shutdown, or when the lease is lost)
/// while the attempt's own task awaits ``run(timeout:deadlines:_:)``; cancelling that task ends
/// the run the same way.
final class HandlerExecution: Sendable {
    private let once = OnceOutcome()

    /// Ends the run as ``HandlerOutcome/cancelled`` (at once if it is running, or as soon
    /// as it starts) and cancels the handler's task.
    func cancel() {
        once.finish(.cancelled)
    }

    /// Runs `operation` until it returns, `timeout` passes (watched by `deadlines`), or
    /// the run is cancelled, whichever comes first.
    func run(
        timeout: Duration,
        deadlines: HandlerDeadlines,
        _ operation: @escaping @Sendable () async throws -> String
    ) async -> HandlerOutcome {
        let once = once
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                once.setContinuation(continuation)
                let work = Task {
                    do {
                        once.finish(.returned(try await operation()))
                    } catch is CancellationError where Task.isCancelled {
                        once.finish(.cancelled)
                    } catch {
                        once.finish(.threw(error))
                    }
                }
                let deadline = deadlines.add(deadline: .now + timeout) { once.finish(.timedOut(timeout)) }
                once.setCleanup {
                    work.cancel()
                    deadlines.remove(deadline)
                }
            }
        } onCancel: {
            once.finish(.cancelled)
        }
    }
}

/// Delivers the first outcome to the waiting continuation and ignores the rest, whatever
/// order the handler, the timer and cancellation arrive in.
private final class OnceOutcome: Sendable {
    private struct State {
        var continuation: CheckedContinuation<HandlerOutcome, Never>?
        var outcome: HandlerOutcome?
        var cleanup: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func setContinuation(_ continuation: CheckedContinuation<HandlerOutcome, Never>) {
        let early = state.withLock { state -> HandlerOutcome? in
            if let outcome = state.outcome { return outcome }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
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
