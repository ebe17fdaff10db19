import Synchronization

/// Runs one database call with a bound, so a call that never gets an answer cannot hold
/// up the engine or shutdown: after `limit` (or when the caller is cancelled) the caller
/// gets ``DatabaseTimeoutError`` (or `CancellationError`) at once, and the call is
/// cancelled and abandoned.
///
/// Structured concurrency would wait for a cancelled child to finish, and a call whose
/// answer is lost with its connection may never finish, so the call runs in a task of its
/// own and the caller waits only for whichever of the call and the bound comes first.
package enum DatabaseDeadline {
    package static func run<T: Sendable>(
        _ operation: String, within limit: Duration, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        // Unstructured: a child task would have to be awaited, and the call that never
        // answers is exactly the one this must be able to walk away from.
        let call = Task {
            do { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) }
        }
        // The bound is a deadline on the shared timer queue, not a sleeping task per call.
        let timer = TimerQueue.shared.add(deadline: .now + limit) {
            race.finish(.failure(DatabaseTimeoutError(operation: operation, limit: limit)))
            call.cancel()
        }
        defer { TimerQueue.shared.remove(timer) }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { race.wait($0) }
        } onCancel: {
            race.finish(.failure(CancellationError()))
            call.cancel()
        }
    }

    /// The first outcome of the call, the bound and cancellation; later ones are dropped.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var outcome: Result<T, any Error>?
            var waiter: CheckedContinuation<T, any Error>?
        }

        private let state = Mutex(State())

        func finish(_ outcome: Result<T, any Error>) {
            let waiter = state.withLock { state -> CheckedContinuation<T, any Error>? in
                guard state.outcome == nil else { return nil }
                state.outcome = outcome
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(with: outcome)
        }

        func wait(_ continuation: CheckedContinuation<T, any Error>) {
            let outcome = state.withLock { state -> Result<T, any Error>? in
                if state.outcome == nil { state.waiter = continuation }
                return state.outcome
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }
}
