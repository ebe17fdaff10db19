import Synchronization

/// Calls closures at their deadlines with one sleeping task for all of them, instead of a
/// task (and a `Task.sleep`) per wait.
///
/// A cancelled `Task.sleep` stays queued in the runtime until its deadline passes, so a
/// timer per wait would hold one for every poll, event-stream read and handler run of
/// the last minutes at thousands a second. Here one task sleeps until the earliest
/// deadline and is replaced only when an earlier one arrives; a deadline removed before
/// it is due costs a dictionary entry. The process shares ``shared``.
package final class TimerQueue: Sendable {
    /// What removes a deadline before it fires.
    package struct Token: Sendable, Hashable {
        let value: Int
    }

    private struct State {
        var schedule = TimerSchedule<@Sendable () -> Void>()
        /// When the sleeper wakes, and its generation: a replaced sleeper sees another
        /// generation and ends.
        var wakeAt: ContinuousClock.Instant?
        var generation = 0
        var sleeper: Task<Void, Never>?
    }

    /// The timer queue of the process: the engine's handler deadlines, the poller's and
    /// every event stream's waits.
    package static let shared = TimerQueue()

    private let state = Mutex(State())

    package init() {}

    /// The deadlines neither fired nor removed.
    var pendingCount: Int { state.withLock { $0.schedule.count } }

    /// Calls `fire` once `deadline` has passed, unless ``remove(_:)`` comes first.
    @discardableResult
    package func add(deadline: ContinuousClock.Instant, fire: @escaping @Sendable () -> Void) -> Token {
        state.withLock { state in
            let token = state.schedule.add(deadline, fire)
            if state.wakeAt.map({ deadline < $0 }) ?? true {
                state.generation += 1
                state.wakeAt = deadline
                state.sleeper?.cancel()
                let generation = state.generation
                // The one sleeper for every deadline of the queue (the earliest), replaced
                // only when an earlier one arrives: not a task per wait.
                state.sleeper = Task { await self.sleep(until: deadline, generation: generation) }
            }
            return Token(value: token)
        }
    }

    /// Removes a deadline that has not fired; nothing for one that has.
    package func remove(_ token: Token) {
        state.withLock { $0.schedule.remove(token.value) }
    }

    private func sleep(until deadline: ContinuousClock.Instant, generation: Int) async {
        var deadline = deadline
        while (try? await Task.sleep(until: deadline, clock: .continuous)) != nil {
            let now = ContinuousClock.now
            let (due, next) = state.withLock { state -> ([@Sendable () -> Void], ContinuousClock.Instant?) in
                guard state.generation == generation else { return ([], nil) }
                let due = state.schedule.takeDue(at: now)
                let next = state.schedule.earliest
                state.wakeAt = next
                if next == nil { state.sleeper = nil }
                return (due, next)
            }
            for fire in due { fire() }
            guard let next else { return }
            deadline = next
        }
    }
}
