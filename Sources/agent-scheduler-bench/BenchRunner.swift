import Foundation
import Logging
import Scheduler

/// Runs the benchmark workloads against one store, each on an emptied table.
struct BenchRunner: Sendable {
    let databaseURL: String
    let poolMode: DatabasePoolMode
    let store: any TaskStore
    let database: BenchDatabase
    let configuration: EngineConfiguration
    let logger: Logger

    /// W1: `tasks` noop tasks inserted in one statement, then the engine started and timed
    /// until every one is completed with its action-log row.
    func throughput(tasks: Int) async throws -> BenchReport.Throughput {
        try await database.reset()
        try await database.insertNoops(tasks)
        let start = ContinuousClock.now
        try await withEngine { _ in
            try await database.waitUntilAllCompleted(tasks)
        }
        let seconds = (ContinuousClock.now - start).timeInterval
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
    /// SQL; latency from insert to handler start.
    func pickupLatency(samples: Int) async throws -> BenchReport.Distribution {
        try await database.reset()
        try await withEngine { engine in
            try await Task.sleep(for: .milliseconds(500))
            for _ in 0..<samples {
                try await database.insertOne(scheduledFor: nil)
                // PostgreSQL's NOTIFY wakes the engine; an insert into the embedded SQLite
                // file wakes it in-process, as POST /tasks does.
                if wakesInProcess { engine.triggerPoll() }
                try await Task.sleep(for: .milliseconds(20))
            }
            try await database.waitUntilAllCompleted(samples)
        }
        return .init(milliseconds: try await database.startDelays().map(\.afterCreated))
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

    /// W4: W1's tasks shared by `processes` engine processes (`worker`), timed from
    /// their start until every task is completed; any task with more than one action-log
    /// row ran twice.
    func sharedThroughput(tasks: Int, processes: Int) async throws -> BenchReport.Shared {
        try await database.reset()
        try await database.insertNoops(tasks)
        let start = ContinuousClock.now
        let workers = try (1...processes).map { number in
            try BenchWorkerProcess.start(
                databaseURL: databaseURL, poolMode: poolMode, workerID: "bench-w4-\(number)",
                concurrency: configuration.concurrency, batchSize: configuration.batchSize)
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

    /// Whether the benchmark's own inserts wake the engine in-process, as `POST /tasks`
    /// does on SQLite, instead of through PostgreSQL's NOTIFY.
    private var wakesInProcess: Bool { store.databaseKind == .sqlite }

    /// Runs an engine (and the store's wake-up listener, if it has one) while `body` runs.
    private func withEngine(_ body: @escaping @Sendable (Engine) async throws -> Void) async throws {
        let engine = Engine(
            store: store, registry: try HandlerRegistry([NoopHandler()]), configuration: configuration, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await engine.run() }
            if let listener = store.wakeListener(logger: logger, wake: { engine.triggerPoll() }) {
                group.addTask { try await listener.run() }
            }
            try await body(engine)
            group.cancelAll()
        }
    }
}
