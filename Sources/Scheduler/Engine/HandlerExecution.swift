import Synchronization

/// One run of a handler in a task of its own, so that a handler that ignores
/// cancellation and never returns still frees its slot when it is stopped.
///
/// The engine keeps the execution to stop it (at its deadline, at shutdown, when the
/// lease is lost or cancellation is requested) while the attempt's own task awaits
/// ``run(_:)``; cancelling that task ends the run the same way.
final class HandlerExecution: Sendable {
    private let once = OnceOutcome()

    /// Ends the run (at once if it is running, or as soon as it starts) as the reason
    /// says — ``HandlerOutcome/cancelled``, ``HandlerOutcome/cancelRequested`` or
    /// ``HandlerOutcome/timedOut(_:)`` — and cancels the handler's task, which sees
    /// `Task.isCancelled` and may stop cooperatively.
    func cancel(_ reason: StopReason) {
        switch reason {
        case .released: once.finish(.cancelled)
        case .requested: once.finish(.cancelRequested)
        case .timedOut(let limit): once.finish(.timedOut(limit))
        }
    }

    /// Runs `operation` until it returns or the run is stopped, whichever comes first.
    func run(_ operation: @escaping @Sendable () async throws -> String) async -> HandlerOutcome {
        let once = once
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Cancelled before it started (e.g. while waiting for a slot): the
                // handler never runs.
                guard once.setContinuation(continuation) else { return }
                // Unstructured: stopped (its deadline, a cancellation) the attempt ends at
                // once and a handler that ignores cancellation is left behind, not
                // awaited (its slot is freed; `OnceOutcome` drops its late answer).
                let work = Task {
                    do {
                        once.finish(.returned(try await operation()))
                    } catch is CancellationError where Task.isCancelled {
                        once.finish(.cancelled)
                    } catch {
                        once.finish(.threw(error))
                    }
                }
                once.setCleanup { work.cancel() }
            }
        } onCancel: {
            once.finish(.cancelled)
        }
    }
}
