import Synchronization

/// Wakes one waiter early: the poller when a handler frees a slot, a task is enqueued
/// here, or shutdown begins; an event stream's reader when events arrive. A signal sent
/// while nobody waits is kept for the next wait. One waiter at a time.
package final class WakeSignal: Sendable {
    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var pending = false
        var waiter: Waiter?
        var nextID = 0
    }

    private let state = Mutex(State())
    private let timers: TimerQueue

    /// A signal whose waits time out on `timers`.
    package init(timers: TimerQueue = .shared) {
        self.timers = timers
    }

    /// Whether a signal waits for the next wait: what tests check after an enqueue.
    var isPending: Bool { state.withLock { $0.pending } }

    /// Wakes the current waiter, or the next one.
    package func signal() {
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
    ///
    /// The timeout is a deadline on the shared ``TimerQueue`` (no task per wait), set
    /// only once the waiter is registered, and ends only the wait it was set for: the
    /// deadline of an earlier wait, already firing, cannot touch this one (it once could,
    /// leaving the poller waiting with no timeout).
    package func wait(timeout: Duration) async {
        let deadline = Mutex<TimerQueue.Token?>(nil)
        defer { if let token = deadline.withLock({ $0 }) { timers.remove(token) } }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let id = state.withLock { state -> Int? in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return nil
                    }
                    state.nextID += 1
                    state.waiter = Waiter(id: state.nextID, continuation: continuation)
                    return state.nextID
                }
                guard let id else { return continuation.resume() }
                deadline.withLock { deadline in
                    deadline = timers.add(deadline: .now + timeout) { self.expire(id) }
                }
            }
        } onCancel: {
            self.expire(nil)
        }
    }

    /// Ends the wait with the given id (any wait, for `nil`) without leaving a signal.
    private func expire(_ id: Int?) {
        let waiter = state.withLock { state -> Waiter? in
            guard let waiter = state.waiter, id == nil || waiter.id == id else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.continuation.resume()
    }
}
