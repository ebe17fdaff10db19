import ArgumentParser
import Foundation
import Scheduler

/// `agent-scheduler-bench` (its default subcommand `run`): measures the engine with the
/// built-in `noop` handler.
///
/// W1 throughput (N tasks inserted in one statement, then the engine started and timed
/// until all are completed, counted in the database), W2 pickup latency (an idle engine,
/// tasks inserted one at a time ~20 ms apart by plain SQL; insert to handler start), W3
/// punctuality (tasks scheduled 1-5 s ahead; lateness of handler start), W4 (W1's tasks
/// shared by two engine processes, checked for tasks run twice), and the peak RSS of this
/// process and of W4's. Prints a table and writes JSON.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Measure throughput, pickup latency and punctuality with the noop handler.")

    @Option(help: "postgres://… of a scratch database, or a SQLite path (default: a new temporary SQLite file).")
    var databaseURL: String?

    @Option(help: "Tasks for W1.")
    var tasks = 20_000

    @Option(help: "Tasks for W2 and for W3.")
    var samples = 200

    @Option(help: "Workloads to run, comma-separated.")
    var workloads = "W1,W2,W3,W4"

    @Option(help: "Engine processes for W4.")
    var processes = 2

    @Option(help: "Handlers running at once (default: 100; with --serve, serve's own default).")
    var concurrency: Int?

    @Option(help: "Most tasks one claim takes (default: 100; with --serve, serve's own default).")
    var batchSize: Int?

    @Flag(help: "Run each workload against an agent-scheduler serve child process (HTTP server, lease keeper and all) instead of an engine in this process; W4 starts that many serve processes (PostgreSQL only).")
    var serve = false

    @Option(help: "The agent-scheduler binary --serve starts (default: the one beside this benchmark).")
    var agentScheduler: String?

    @Option(help: "Where to write the JSON results.")
    var json = "bench-results/bench.json"

    @Flag(help: "Empty agent_tasks and agent_actions_log first (required when they hold rows).")
    var reset = false

    @Option(help: "session, or transaction behind a transaction-mode pooler such as PgBouncer.")
    var databasePoolMode: DatabasePoolMode = .session

    @Option(help: "when-listened (as serve: task events announced to other instances only while one streams them), or always (the cost of announcing).")
    var announceEvents: EventAnnouncement = .whenListened

    func run() async throws {
        let selected = Set(workloads.uppercased().split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
        let defaults = serve ? EngineConfiguration(workerID: "serve") : Self.engineConfiguration(workerID: "", batchSize: 100, concurrency: 100)
        let configuration = Self.engineConfiguration(
            workerID: "bench-\(ProcessInfo.processInfo.processIdentifier)", batchSize: batchSize ?? defaults.batchSize,
            concurrency: concurrency ?? defaults.concurrency)
        let target = try serve ? ServeTarget(binary: agentScheduler ?? ServeProcess.siblingBinary(), settings: serveSettings) : nil
        let report = try await ScratchDatabase.with(url: databaseURL, reset: reset, poolMode: databasePoolMode, announcing: announceEvents) {
            store, database, url in
            if serve, store.databaseKind == .sqlite, selected.contains("W4") {
                throw ValidationError("W4 needs several serve processes on one database, which a SQLite file does not allow: use PostgreSQL or leave W4 out")
            }
            let runner = BenchRunner(
                databaseURL: url, poolMode: databasePoolMode, store: store, database: database,
                configuration: configuration, logger: ScratchDatabase.logger, serve: target)
            var report = BenchReport(
                database: store.databaseKind.rawValue, concurrency: configuration.concurrency,
                batchSize: configuration.batchSize, idleRSSMB: ProcessMemory.residentMB())
            report.engine = serve ? "agent-scheduler serve" : "in-process engine"
            if selected.contains("W1") { report.w1 = try await runner.throughput(tasks: tasks) }
            if selected.contains("W2") {
                let latency = try await runner.pickupLatency(samples: samples)
                report.w2 = latency.started
                report.w2Completed = latency.completed
            }
            if selected.contains("W3") { report.w3 = try await runner.punctuality(samples: samples) }
            if selected.contains("W4") { report.w4 = try await runner.sharedThroughput(tasks: tasks, processes: processes) }
            report.peakRSSMB = ProcessMemory.peakMB()
            return report
        }
        print(report.table)
        try FileManager.default.createDirectory(
            atPath: (json as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try JSONText.data(report, pretty: true).write(to: URL(fileURLWithPath: json))
        print("results written to \(json)")
    }

    /// What a `serve` child gets: the pool mode, and the concurrency and claim size only
    /// when given (so `--serve` alone measures serve's defaults); retention off, so the
    /// history a workload leaves is not pruned under the next one.
    private var serveSettings: [String: String] {
        var settings = ServeProcess.keepHistory
        settings["DATABASE_POOL_MODE"] = databasePoolMode.rawValue
        settings["LOG_ATTEMPTS"] = "false"
        if let concurrency { settings["WORKER_CONCURRENCY"] = "\(concurrency)" }
        if let batchSize { settings["MAX_TASKS_PER_POLL"] = "\(batchSize)" }
        return settings
    }

    /// The engine every bench workload runs: the 30 s poll interval of the defaults, so
    /// only LISTEN or in-process wake-ups make it fast.
    static func engineConfiguration(workerID: String, batchSize: Int, concurrency: Int) -> EngineConfiguration {
        EngineConfiguration(workerID: workerID, pollInterval: .seconds(30), batchSize: batchSize, concurrency: concurrency)
    }
}
