import ArgumentParser
import Logging
import Scheduler
import SchedulerService
import ServiceLifecycle

/// `agent-scheduler-bench worker`: one engine process running the `noop` handler until
/// SIGTERM, for W4, which starts two of them on the same tasks. Hidden from help: it is
/// a part of the benchmark, not a way to run it.
struct BenchWorker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "One engine process for W4 (started by the benchmark itself).",
        shouldDisplay: false)

    @Option(help: "postgres://… or a SQLite path, as given to the benchmark.")
    var databaseURL: String

    @Option(help: "session, or transaction behind a transaction-mode pooler.")
    var databasePoolMode: DatabasePoolMode = .session

    @Option(help: "This process's worker id.")
    var workerID: String

    @Option(help: "Handlers running at once.")
    var concurrency: Int

    @Option(help: "Most tasks one claim takes.")
    var batchSize: Int

    func run() async throws {
        var logger = Logger(label: "agent-scheduler.bench-worker")
        logger.logLevel = .warning
        let store = try await StoreFactory.open(
            url: databaseURL, poolMode: databasePoolMode, announcing: .whenListened, logger: logger)
        let scheduler = try AgentScheduler(
            store: store, handlers: HandlerSet([NoopHandler()]),
            configuration: SchedulerConfiguration(
                engine: Bench.engineConfiguration(workerID: workerID, batchSize: batchSize, concurrency: concurrency)),
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [store, scheduler], gracefulShutdownSignals: [.sigterm], logger: logger))
        try await group.run()
    }
}
