import CoreMetrics
import Foundation
import Synchronization

/// The scheduler's own metrics, through swift-metrics (``PrometheusExport`` makes them
/// Prometheus's): tasks claimed, completed, failed, retried, cancelled and rescued by
/// this process, attempt durations and waits by task type, the clients of the event
/// stream, database errors and webhook sends. Counts come from the store's local events, so every
/// transition is counted once, by the instance that made it.
public final class SchedulerMetrics: Sendable {
    private let factory: any MetricsFactory
    private let counters = Mutex<[Key: Counter]>([:])
    private let timers = Mutex<[Key: CoreMetrics.Timer]>([:])
    private let streamClients: Meter
    private let databaseErrors: Counter
    private let webhookSends: [String: Counter]

    private struct Key: Hashable {
        var name: String
        var taskType: String
    }

    /// Metric names, for tests and documentation.
    public enum Name {
        public static let prefix = "agent_scheduler_"
        public static let attemptDuration = prefix + "attempt_duration_seconds"
        public static let taskWait = prefix + "task_wait_seconds"
        public static let streamClients = prefix + "event_stream_clients"
        public static let databaseErrors = prefix + "database_errors_total"
        public static let webhookSends = prefix + "webhook_sends_total"

        /// The counter a local event of `kind` increments, if any.
        static func counter(for kind: TaskEvent.Kind) -> String? {
            switch kind {
            case .started: prefix + "tasks_claimed_total"
            case .completed: prefix + "tasks_completed_total"
            case .failed: prefix + "tasks_failed_total"
            case .retryScheduled: prefix + "tasks_retried_total"
            case .cancelled: prefix + "tasks_cancelled_total"
            case .rescued: prefix + "tasks_rescued_total"
            case .created, .progress, .retried, .released, .cancelRequested: nil
            }
        }
    }

    /// Metrics made by `factory`: the process's bootstrapped one by default.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        streamClients = Meter(label: Name.streamClients, dimensions: [], factory: factory)
        databaseErrors = Counter(label: Name.databaseErrors, dimensions: [], factory: factory)
        webhookSends = Dictionary(uniqueKeysWithValues: ["delivered", "retry", "failed"].map { result in
            (result, Counter(label: Name.webhookSends, dimensions: [("result", result)], factory: factory))
        })
    }

    /// The `task_type` label of types no handler here runs: anyone may enqueue any type
    /// name, and one series per name would let them grow the metrics without bound.
    public static let unregisteredLabel = "unregistered"

    /// The label for `taskType`: itself when registered, else ``unregisteredLabel``.
    static func label(_ taskType: String, registered: Set<String>) -> String {
        registered.contains(taskType) ? taskType : unregisteredLabel
    }

    /// Counts the events this process publishes on `bus` from now on, labelled with
    /// their type when it is one of `taskTypes`, until the observation returned is ended.
    @discardableResult
    public func count(eventsOf bus: TaskEventBus, taskTypes: [String]) -> TaskEventObservation {
        let registered = Set(taskTypes)
        return bus.observe { [weak self] event in
            guard event.isLocal, let self, let name = Name.counter(for: event.kind) else { return }
            self.counter(name, Self.label(event.taskType, registered: registered)).increment()
        }
    }

    /// Records how long an attempt ran and how long its task waited to start (only
    /// registered types run here).
    func attemptFinished(_ record: AttemptRecord) {
        let type = record.task.taskType
        timer(Name.attemptDuration, type).recordNanoseconds(Self.nanoseconds(record.finishedAt.timeIntervalSince(record.startedAt)))
        timer(Name.taskWait, type).recordNanoseconds(Self.nanoseconds(record.startedAt.timeIntervalSince(record.task.scheduledFor)))
    }

    package func streamOpened() { streamClients.increment() }

    package func streamClosed() { streamClients.decrement() }

    /// Counts one send of a webhook by how it went.
    package func webhookSent(_ result: WebhookAttemptResult) {
        let name = switch result {
        case .delivered: "delivered"
        case .retry: "retry"
        case .failed: "failed"
        }
        webhookSends[name]?.increment()
    }

    /// Counts a failed database call (a claim, a write, a lease renewal, an API query).
    public func databaseError() { databaseErrors.increment() }

    /// `seconds` in nanoseconds, clamped to what an `Int64` holds (292 years): a task
    /// may be scheduled for any date, the year 1 included, and its wait must not trap.
    static func nanoseconds(_ seconds: TimeInterval) -> Int64 {
        let clamped = min(max(0, seconds), Self.longestRecordedSeconds)
        return Int64(clamped * 1_000_000_000)
    }

    /// The longest duration recorded, a little under `Int64.max` nanoseconds.
    static let longestRecordedSeconds: TimeInterval = 9_000_000_000

    private func counter(_ name: String, _ taskType: String) -> Counter {
        counters.withLock { counters in
            let key = Key(name: name, taskType: taskType)
            if let counter = counters[key] { return counter }
            let counter = Counter(label: name, dimensions: [("task_type", taskType)], factory: factory)
            counters[key] = counter
            return counter
        }
    }

    private func timer(_ name: String, _ taskType: String) -> CoreMetrics.Timer {
        timers.withLock { timers in
            let key = Key(name: name, taskType: taskType)
            if let timer = timers[key] { return timer }
            let timer = CoreMetrics.Timer(label: name, dimensions: [("task_type", taskType)], factory: factory)
            timers[key] = timer
            return timer
        }
    }
}
