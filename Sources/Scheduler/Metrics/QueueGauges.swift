import CoreMetrics
import Foundation

/// The queue as gauges — tasks by status and type, and the age of the oldest due task
/// of each type (the alert everyone needs) — read from the database at most every
/// ``maximumAge``, once for all concurrent scrapes.
package actor QueueGauges {
    static let maximumAge = Duration.seconds(5)
    static let depthName = "agent_scheduler_queue_tasks"
    static let oldestDueName = "agent_scheduler_queue_oldest_due_age_seconds"

    private let factory: any MetricsFactory
    private var readAt: ContinuousClock.Instant?
    private var reading: Task<Void, Never>?
    private var shown: Set<[String]> = []
    private var gauges: [[String]: Gauge] = [:]
    private let errors: Counter

    package init(factory: any MetricsFactory) {
        self.factory = factory
        errors = Counter(label: SchedulerMetrics.Name.databaseErrors, dimensions: [], factory: factory)
    }

    /// Reads the queue unless a read finished less than ``maximumAge`` ago; joins a read
    /// under way. A failed read leaves the last figures and counts a database error.
    /// Every type in `taskTypes` is shown, at 0 when it has no live tasks; tasks of other
    /// types are summed up under ``SchedulerMetrics/unregisteredLabel``.
    package func refresh(store: any TaskStore, now: Date, taskTypes: [String]) async {
        if let readAt, ContinuousClock.now - readAt < Self.maximumAge { return }
        if let reading { return await reading.value }
        // Unstructured and shared: concurrent scrapes await this one read, which must not
        // end with whichever scrape started it.
        let task = Task { await self.read(store: store, now: now, taskTypes: taskTypes) }
        reading = task
        await task.value
        reading = nil
        readAt = ContinuousClock.now
    }

    private func read(store: any TaskStore, now: Date, taskTypes: [String]) async {
        let queues: [TypeQueue]
        do {
            queues = try await store.queue(now: now)
        } catch {
            errors.increment()
            return
        }
        let registered = Set(taskTypes)
        var merged = Dictionary(uniqueKeysWithValues: taskTypes.map { ($0, TypeQueue(taskType: $0)) })
        for queue in queues {
            let label = SchedulerMetrics.label(queue.taskType, registered: registered)
            merged[label, default: TypeQueue(taskType: label)].add(
                pending: queue.pending, due: queue.due, processing: queue.processing, oldestDue: queue.oldestDue)
        }
        var values: [[String]: Double] = [:]
        for (label, queue) in merged {
            values[[Self.depthName, "pending", label]] = Double(queue.pending)
            values[[Self.depthName, "processing", label]] = Double(queue.processing)
            values[[Self.oldestDueName, label]] = queue.oldestDue.map { max(0, now.timeIntervalSince($0)) } ?? 0
        }
        // A type whose tasks are all gone shows 0, not its last figure.
        for key in shown where values[key] == nil { values[key] = 0 }
        for (key, value) in values { gauge(key).record(value) }
        shown = Set(values.filter { $0.value != 0 }.keys)
    }

    private func gauge(_ key: [String]) -> Gauge {
        if let gauge = gauges[key] { return gauge }
        let dimensions = key.count == 3 ? [("status", key[1]), ("task_type", key[2])] : [("task_type", key[1])]
        let gauge = Gauge(label: key[0], dimensions: dimensions, factory: factory)
        gauges[key] = gauge
        return gauge
    }
}
