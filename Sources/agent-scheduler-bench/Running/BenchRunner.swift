import Foundation
import Logging
import Scheduler
import SchedulerService

/// Runs the benchmark workloads against one store, each on an emptied table: with an
/// engine in this process, or (`serve`) with an `agent-scheduler serve` child process.
struct BenchRunner: Sendable {
    let databaseURL: String
    let poolMode: DatabasePoolMode
    let store: any TaskStore
    let database: BenchDatabase
    let configuration: EngineConfiguration
    let logger: Logger
    var serve: ServeTarget?

    /// How long before W1's tasks fall due a `serve` child is started: its start-up is
    /// not part of the throughput.
    static let serveHeadStart = Duration.seconds(5)

    /// W1: `tasks` noop tasks inserted in one statement, then the engine started and timed
    /// until every one is completed with its action-log row. With a `serve` child, the
    /// tasks fall due a few seconds after they are inserted, the child is started
    /// meanwhile, and the time runs from when they fell due.
    func throughput(tasks: Int) async throws -> BenchReport.Throughput {
        try await database.reset()
        let due = serve == nil ? nil : Date().addingTimeInterval(Self.serveHeadStart.timeInterval)
        try await database.insertNoops(tasks, dueAt: due)
        let started = ContinuousClock.now
        let seconds = try await withEngine { _ in
            var from = started
            if let due {
                let wait = due.timeIntervalSinceNow
                if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
                from = ContinuousClock.now
            }
            try await database.waitUntilAllCompleted(tasks)
            return (ContinuousClock.now - from).timeInterval
        }
        return .init(
            tasks: tasks, seconds: seconds, tasksPerSecond: Double(tasks) / seconds,
            actionLogRows: try await database.actionLogCount())
    }

    /// W1 beside a history of finished tasks (not emptied first, perhaps being pruned):
    /// `tasks` noop tasks inserted, the engine timed until none is left unfinished.
    func throughputBesideHistory(tasks: Int) async throws -> BenchReport.Throughput {
        try await database.insertNoops(tasks)
        let start = ContinuousClock.now
        try await withEngine { _ in
            while try await database.unfinishedRemain() { try await Task.sleep(for: .milliseconds(10)) }
        }
        let seconds = (ContinuousClock.now - start).timeInterval
        try await database.checkWorkloadCompleted(tasks)
        return .init(
            tasks: tasks, seconds: seconds, tasksPerSecond: Double(tasks) / seconds,
            actionLogRows: try await database.actionLogCount())
    }

    /// W2: an idle engine; `samples` tasks inserted one at a time, ~20 ms apart, by plain
    /// SQL; latency from insert (the row's `created_at`) to handler start, and to
    /// `completed_at`.
    func pickupLatency(samples: Int) async throws -> (started: BenchReport.Distribution, completed: BenchReport.Distribution) {
        try await database.reset()
        try await withEngine { wake in
            try await Task.sleep(for: .milliseconds(500))
            for _ in 0..<samples {
                try await database.insertOne(scheduledFor: nil)
                wake()
                try await Task.sleep(for: .milliseconds(20))
            }
            try await database.waitUntilAllCompleted(samples)
        }
        let delays = try await database.startDelays()
        return (.init(milliseconds: delays.map(\.afterCreated)), .init(milliseconds: delays.map(\.completedAfterCreated)))
    }

    /// W3: `samples` tasks scheduled 1-5 s ahead, inserted by plain SQL from another
    /// connection into a running engine, which must wake for them by itself (NOTIFY, or
    /// SQLite's change watcher); how late each handler started.
    func punctuality(samples: Int) async throws -> BenchReport.Distribution {
        try await database.reset()
        try await withEngine { _ in
            let now = Date()
            for index in 0..<samples {
                let ahead = 1 + 4 * Double(index) / Double(max(samples - 1, 1))
                try await database.insertOne(scheduledFor: now.addingTimeInterval(ahead))
            }
            try await database.waitUntilAllCompleted(samples)
        }
        return .init(milliseconds: try await database.startDelays().map(\.afterScheduled))
    }

    /// W4: W1's tasks shared by `processes` engine processes (`worker`, or `serve`
    /// children), timed from their start until every task is completed; any task with
    /// more than one action-log row ran twice.
    func sharedThroughput(tasks: Int, processes: Int) async throws -> BenchReport.Shared {
        try await database.reset()
        try await database.insertNoops(tasks)
        let start = ContinuousClock.now
        var workers: [BenchWorkerProcess] = []
        for number in 1...processes {
            let workerID = "bench-w4-\(number)"
            if let serve {
                var settings = serve.settings
                settings["WORKER_ID"] = workerID
                let child = try await ServeProcess.start(binary: serve.binary, databaseURL: databaseURL, settings: settings)
                workers.append(BenchWorkerProcess(process: child.process, workerID: workerID))
            } else {
                workers.append(try BenchWorkerProcess.start(
                    databaseURL: databaseURL, poolMode: poolMode, workerID: workerID,
                    concurrency: configuration.concurrency, batchSize: configuration.batchSize))
            }
        }
        do {
            while try await database.unfinishedRemain() {
                if let exited = workers.first(where: { !$0.isRunning }) { try exited.stop() }
                try await Task.sleep(for: .milliseconds(10))
            }
        } catch {
            for worker in workers where worker.isRunning { worker.process.interrupt() }
            throw error
        }
        let seconds = (ContinuousClock.now - start).timeInterval
        let peaks = workers.map(\.peakRSSMB)
        for worker in workers { try worker.stop() }
        try await database.checkAllCompleted(tasks)
        let perWorker = try await database.attemptsPerWorker()
        let rows = perWorker.values.reduce(0, +)
        return .init(
            processes: processes,
            throughput: .init(tasks: tasks, seconds: seconds, tasksPerSecond: Double(tasks) / seconds, actionLogRows: rows),
            duplicateRuns: rows - (try await database.tasksWithAttempts()),
            attemptsPerWorker: perWorker,
            peakRSSMBPerProcess: peaks)
    }

    /// Runs an engine (and the store's wake-up listener, if it has one), or a `serve`
    /// child, while `body` runs. `body` gets what to call after inserting a task: on
    /// SQLite the in-process engine is woken directly, as `POST /tasks` does; PostgreSQL's
    /// NOTIFY, or a `serve` child's own watch of the file, needs nothing.
    private func withEngine<T: Sendable>(
        _ body: @escaping @Sendable (_ wake: @escaping @Sendable () -> Void) async throws -> T
    ) async throws -> T {
        if let serve {
            let child = try await ServeProcess.start(binary: serve.binary, databaseURL: databaseURL, settings: serve.settings)
            let value: T
            do {
                value = try await body({})
            } catch {
                try? child.stop()
                throw error
            }
            try child.stop()
            return value
        }
        let scheduler = try AgentScheduler(
            store: store, handlers: HandlerSet([NoopHandler()]), configuration: SchedulerConfiguration(engine: configuration),
            logger: logger)
        let wakesInProcess = store.databaseKind == .sqlite
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scheduler.run() }
            let value = try await body { if wakesInProcess { scheduler.engine.triggerPoll() } }
            group.cancelAll()
            return value
        }
    }
}
