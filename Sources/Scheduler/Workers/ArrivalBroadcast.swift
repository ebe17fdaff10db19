import Foundation
import Synchronization

/// Wakes every waiting remote-worker claim when tasks may have become due: the same
/// signals that wake the engine (an enqueue or retry here, the database's wake-up
/// notification, another process writing the SQLite file), handed to all waiters at once.
final class ArrivalBroadcast: Sendable {
    private let waiters = Mutex<[ObjectIdentifier: WakeSignal]>([:])

    /// How many claims wait now.
    var waiting: Int { waiters.withLock { $0.count } }

    /// Wakes every registered waiter.
    func signal() {
        for waiter in waiters.withLock({ Array($0.values) }) { waiter.signal() }
    }

    /// A signal registered now, so that nothing sent between a claim and the wait after
    /// it is missed; `body` claims and waits on it. Unregistered when `body` returns.
    func withWaiter<T>(_ body: (WakeSignal) async throws -> T) async rethrows -> T {
        let signal = WakeSignal()
        let key = ObjectIdentifier(signal)
        waiters.withLock { $0[key] = signal }
        defer { waiters.withLock { $0[key] = nil } }
        return try await body(signal)
    }
}
