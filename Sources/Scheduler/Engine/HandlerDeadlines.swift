import Synchronization

/// Cuts handler runs off at their deadlines, with one sleeping task for all of them.
///
/// A cancelled `Task.sleep` stays queued in the runtime until its deadline passes, so a
/// timer per attempt would hold one per task of the last 5 minutes (the default timeout)
/// at thousands of tasks a second. Here one task sleeps until the earliest deadline, and
/// is replaced only when an earlier one arrives, which with one timeout for most
/// handlers is rare.
final class HandlerDeadlines: Sendable {
    private struct Entry {
        let deadline: ContinuousClock.Instant
        let expire: @Sendable () -> Void
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        var nextToken = 0
        /// The sleeper's deadline and generation; a replaced sleeper sees another
        /// generation and ends.
        var wakeAt: ContinuousClock.Instant?
        var generation = 0
        var sleeper: Task<Void, Never>?
    }

    private let state = Mutex(State())

    /// The deadlines not yet passed or removed.
    var pendingCount: Int { state.withLock { $0.entries.count } }

    /// Calls `expire` once `deadline` has passed, unless ``remove(_:)`` is called first
    /// with the token returned.
    func add(deadline: ContinuousClock.Instant, expire: @escaping @Sendable () -> Void) -> Int {
        state.withLock { state in
            state.nextToken += 1
            state.entries[state.nextToken] = Entry(deadline: deadline, expire: expire)
            if state.wakeAt.map({ deadline < $0 }) ?? true {
                state.generation += 1
                state.wakeAt = deadline
                state.sleeper?.cancel()
                let generation = state.generation
                // One sleeper for every running handler's deadline (the earliest), replaced
                // when an earlier one arrives: not a task per handler.
                state.sleeper = Task { await self.sleep(until: deadline, generation: generation) }
            }
            return state.nextToken
        }
    }

    func remove(_ token: Int) {
        state.withLock { _ = $0.entries.removeValue(forKey: token) }
    }

    private func sleep(until deadline: ContinuousClock.Instant, generation: Int) async {
        var deadline = deadline
        while (try? await Task.sleep(until: deadline, clock: .continuous)) != nil {
            let now = ContinuousClock.now
            let (due, next) = state.withLock { state -> ([@Sendable () -> Void], ContinuousClock.Instant?) in
                guard state.generation == generation else { return ([], nil) }
                var due: [@Sendable () -> Void] = []
                for (token, entry) in state.entries where entry.deadline <= now {
                    due.append(entry.expire)
                    state.entries[token] = nil
                }
                let next = state.entries.values.lazy.map(\.deadline).min()
                state.wakeAt = next
                if next == nil { state.sleeper = nil }
                return (due, next)
            }
            for expire in due { expire() }
            guard let next else { return }
            deadline = next
        }
    }
}
