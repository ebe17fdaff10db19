import Synchronization

/// One run of a handler, with a deadline, in a task of its own, so that a handler that
/// ignores cancellation and never returns still frees its slot at the deadline.
///
/// The engine keeps the execution to cancel it (at shutdown, or when the lease is lost)
/// while the attempt's own task awaits ``run(timeout:deadlines:_:)``; cancelling that task ends
/// the run the same way.
final class HandlerExecution: Sendable {
    private let once = OnceOutcome()

    /// Ends the run (at once if it is running, or as soon as it starts) as
    /// ``HandlerOutcome/cancelled`` or, for a requested cancellation,
    /// ``HandlerOutcome/cancelRequested``, and cancels the handler's task, which sees
    /// `Task.isCancelled` and may stop cooperatively.
    func cancel(_ reason: StopReason) {
        once.finish(reason == .requested ? .cancelRequested : .cancelled)
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
                // Cancelled before it started (e.g. while waiting for a slot): the
                // handler never runs.
                guard once.setContinuation(continuation) else { return }
                // Unstructured: at its deadline or at a cancellation the attempt ends at
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
