import Synchronization

/// Wakes one waiter early: the poller when a handler frees a slot, a task is enqueued
/// here, or shutdown begins; an event stream's reader when events arrive. A signal sent
/// while nobody waits is kept for the next wait. One waiter at a time.
final class WakeSignal: Sendable {
    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var pending = false
        var waiter: Waiter?
        var nextID = 0
        /// A wait whose timeout fired before it began waiting: it must not wait at all.
        var expiredEarly: Int?
    }

    private let state = Mutex(State())

    /// Whether a signal waits for the next wait: what tests check after an enqueue.
    var isPending: Bool { state.withLock { $0.pending } }

    /// Wakes the current waiter, or the next one.
    func signal() {
        let waiter = state.withLock { state -> Waiter? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.continuation.resume()
    }

    /// Returns on a signal, after `timeout`, or when the calling task is cancelled.
    func wait(timeout: Duration) async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.expire(id)
        }
        defer { timer.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.expiredEarly == id { return true }
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = Waiter(id: id, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.expire(id)
        }
    }

    /// Ends the wait with the given id without leaving a signal: at once if it is
    /// waiting, or as soon as it starts to (a short timeout can fire first).
    private func expire(_ id: Int) {
        let waiter = state.withLock { state -> Waiter? in
            guard let waiter = state.waiter, waiter.id == id else {
                state.expiredEarly = id
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.continuation.resume()
    }
}
