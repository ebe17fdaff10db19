import Synchronization

/// Holds queries back until the store's `run()` has started the connection pool, so that
/// a query issued right after start-up waits quietly instead of racing the pool.
final class StartedSignal: Sendable {
    private struct State {
        var started = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func signal() {
        let waiters = state.withLock { state in
            state.started = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        if state.withLock({ $0.started }) { return }
        await withCheckedContinuation { continuation in
            let startedNow = state.withLock { state in
                if state.started { return true }
                state.waiters.append(continuation)
                return false
            }
            if startedNow { continuation.resume() }
        }
    }
}
