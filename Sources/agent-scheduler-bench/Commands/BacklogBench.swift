import ArgumentParser
import Foundation
import Scheduler

/// `agent-scheduler-bench backlog`: times the reads and the claim an engine and its
/// operators make while a large backlog of due tasks waits (SCALING.md).
struct BacklogBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backlog",
        abstract: "Time the claim, next-due, health, stats and list reads beside a backlog of due tasks.")

    @Option(help: "postgres://… of a scratch database, or a SQLite path (default: a new temporary SQLite file).")
    var databaseURL: String?

    @Option(help: "Pending noop tasks in the backlog, all due.")
    var backlog = 10_000_000

    @Option(help: "How many times to time each read.")
    var repeats = 10

    @Flag(help: "Empty agent_tasks and agent_actions_log first (required when they hold rows).")
    var reset = false

    func run() async throws {
        try await ScratchDatabase.with(url: databaseURL, reset: reset) { store, database, _ in
            let filling = ContinuousClock.now
            try await database.insertNoops(backlog)
            try await database.analyze()
            print("\(store.databaseKind.rawValue): \(backlog) due noop tasks inserted in \(ContinuousClock.now - filling)")
            let types = ["noop"]
            let reads: [(String, @Sendable () async throws -> Void)] = [
                ("claim of 10", {
                    let now = Date()
                    _ = try await store.claim(taskTypes: types, limit: 10, workerID: "bench", leaseUntil: now.addingTimeInterval(60), now: now)
                }),
                ("next due (the idle poller)", { _ = try await store.nextDueDate(taskTypes: types) }),
                ("counts (GET /health, up to 100,000 a status)", { _ = try await store.counts(registeredTypes: types, limit: TaskCounts.limit) }),
                ("GET /stats", { _ = try await QueueStats.read(from: store, now: Date()) }),
                ("list, newest 50", { _ = try await store.tasks(matching: TaskFilter()) }),
                ("list, pending, newest 50", { _ = try await store.tasks(matching: TaskFilter(status: .pending)) }),
            ]
            for (name, read) in reads {
                print("\(name): \(try await Timings.measure(repeats: repeats, read).summary)")
            }
        }
    }
}
