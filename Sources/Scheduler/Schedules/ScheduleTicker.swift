import Foundation
import Logging
import ServiceLifecycle

/// Enqueues the task of each schedule's tick when it comes, on every serving instance:
/// each takes a tick by moving the schedule's `next_run_at` forward with a
/// compare-and-set, and the task's idempotency key (schedule and tick) makes a second
/// enqueue of the same tick return the first task, so every tick yields exactly one
/// task however many instances run.
///
/// Ticks missed while nothing ran collapse into one: the next tick is always computed
/// from now, and ``MissedTicks`` says whether that one late tick is enqueued.
public struct ScheduleTicker: Service {
    let store: any TaskStore
    let registry: HandlerRegistry
    let missed: MissedTicks
    /// The `max_retries` of a tick's task whose type declares none (`MAX_RETRIES`).
    let maxRetries: Int
    let clock: any WallClock
    let logger: Logger

    /// The longest the ticker sleeps: how soon it sees schedules added elsewhere.
    static let longestSleep = Duration.seconds(1)

    public init(
        store: any TaskStore, registry: HandlerRegistry, missed: MissedTicks = .once, maxRetries: Int = 3,
        clock: any WallClock = SystemClock(), logger: Logger
    ) {
        self.store = store
        self.registry = registry
        self.missed = missed
        self.maxRetries = maxRetries
        self.clock = clock
        self.logger = logger
    }

    /// Ticks until graceful shutdown or cancellation.
    public func run() async {
        let wake = WakeSignal()
        // Shutdown cancels the loop, so a tick waiting on the database ends at once.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let next = await tickSafely()
                await wake.wait(timeout: ClaimWait.duration(nextDue: next, now: clock.now, maximum: Self.longestSleep))
            }
        }
    }

    /// One pass that logs instead of throwing, so a database outage does not stop the
    /// ticker; returns the earliest next tick.
    private func tickSafely() async -> Date? {
        do {
            return try await tick().next
        } catch {
            if Task.isCancelled { return nil }
            logger.error("schedule tick failed; will try again", metadata: ["error": "\(DatabaseErrorDescription.describe(error))"])
            return nil
        }
    }

    /// Takes every due tick as of now: returns the tasks this pass enqueued (or found
    /// enqueued by another instance) and the earliest next tick of any schedule.
    @discardableResult
    public func tick() async throws -> (tasks: [AgentTask], next: Date?) {
        let now = clock.now
        var tasks: [AgentTask] = []
        var earliest: Date?
        for schedule in try await store.schedules() where !schedule.paused {
            guard let due = schedule.nextRunAt else { continue }
            guard due <= now else {
                earliest = min(earliest ?? due, due)
                continue
            }
            let late = now.timeIntervalSince(due) > MissedTicks.grace
            if !late || missed == .once {
                tasks.append(try await enqueue(schedule, tick: due))
            } else {
                logger.notice("skipping a missed tick", metadata: ["schedule": "\(schedule.name)", "tick": "\(Timestamp.string(from: due))"])
            }
            let next = schedule.cron.next(after: now, in: schedule.timeZone)
            try await store.advanceSchedule(named: schedule.name, from: due, to: next, ranAt: now)
            if let next { earliest = min(earliest ?? next, next) }
        }
        return (tasks, earliest)
    }

    private func enqueue(_ schedule: Schedule, tick: Date) async throws -> AgentTask {
        let task = NewTask(
            taskType: schedule.taskType, agentType: "scheduler", userID: schedule.userID, scheduledFor: tick,
            priority: schedule.priority,
            maxRetries: registry.defaultMaxRetries(for: schedule.taskType) ?? maxRetries,
            contextJSON: schedule.contextJSON, createdBy: "schedule:\(schedule.name)",
            idempotencyKey: schedule.idempotencyKey(tick: tick))
        // Checked against the handlers when the schedule was saved.
        return try await TaskIntake(store: store, registry: nil, clock: clock).enqueue(task).task
    }
}
