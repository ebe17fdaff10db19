import ArgumentParser
import Foundation
import Scheduler

/// `agent-scheduler-bench prune`: how long retention takes to delete a long history of
/// finished tasks, and what it does to W1 running at the same time.
///
/// Three steps on the same database: W1 beside a history past its retention (the
/// baseline), pruning that history alone, then a fresh history pruned while W1 runs.
struct PruneBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Time retention over a history of finished tasks, alone and beside W1.")

    @Option(help: "postgres://… of a scratch database, or a SQLite path (default: a new temporary SQLite file).")
    var databaseURL: String?

    @Option(help: "Finished tasks in the history (one in 50 failed), each with its action-log row, all past retention.")
    var history = 1_000_000

    @Option(help: "Tasks for W1.")
    var tasks = 20_000

    @Option(help: "Handlers running at once.")
    var concurrency = 100

    @Option(help: "Most tasks one claim takes.")
    var batchSize = 100

    @Flag(help: "Empty agent_tasks and agent_actions_log first (required when they hold rows).")
    var reset = false

    func run() async throws {
        try await ScratchDatabase.with(url: databaseURL, reset: reset) { store, database, url in
            let runner = BenchRunner(
                databaseURL: url, poolMode: .session, store: store, database: database,
                configuration: Bench.engineConfiguration(
                    workerID: "bench-\(ProcessInfo.processInfo.processIdentifier)", batchSize: batchSize,
                    concurrency: concurrency),
                logger: ScratchDatabase.logger)
            let pruner = Pruner(store: store, policy: RetentionPolicy(), logger: ScratchDatabase.logger)
            let kind = store.databaseKind.rawValue

            try await fill(database)
            let baseline = try await runner.throughputBesideHistory(tasks: tasks)
            print(String(format: "\(kind): W1 beside %d finished tasks, no pruning: %.0f tasks/s", history, baseline.tasksPerSecond))

            let alone = try await timed { try await pruner.prune() }
            print(String(format: "\(kind): pruning alone: %.1f s, deleted %@", alone.seconds, describe(alone.value)))

            try await database.reset()
            try await fill(database)
            async let pruning = timed { try await pruner.prune() }
            let beside = try await runner.throughputBesideHistory(tasks: tasks)
            let during = try await pruning
            print(String(format: "\(kind): W1 while pruning: %.0f tasks/s (%.0f without); pruning beside W1: %.1f s, deleted %@",
                         beside.tasksPerSecond, baseline.tasksPerSecond, during.seconds, describe(during.value)))
        }
    }

    /// The history, every task of it finished 31 to 61 days ago: past every default age.
    private func fill(_ database: BenchDatabase) async throws {
        let started = ContinuousClock.now
        try await database.fillHistory(tasks: history, recent: 0, now: Date().addingTimeInterval(-31 * 86_400))
        print("filled \(history) finished tasks and their log rows in \(ContinuousClock.now - started)")
    }

    private func timed<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> (value: T, seconds: Double) {
        let started = ContinuousClock.now
        let value = try await body()
        return (value, (ContinuousClock.now - started).timeInterval)
    }

    private func describe(_ report: Pruner.Report) -> String {
        report.deleted.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}
