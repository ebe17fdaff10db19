import ArgumentParser
import Foundation
import Scheduler

/// `agent-scheduler-bench stats`: times the reads behind `GET /stats` and
/// `agent-scheduler stats` over a long history of finished tasks.
struct StatsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Time the queue analytics (GET /stats) over a history of finished tasks.")

    @Option(help: "postgres://… of a scratch database, or a SQLite path (default: a new temporary SQLite file).")
    var databaseURL: String?

    @Option(help: "Finished tasks in the history, each with its action-log row.")
    var history = 1_000_000

    @Option(help: "How many of them finished in the last hour.")
    var recent = 1_000

    @Option(help: "How many times to read the report.")
    var repeats = 20

    @Flag(help: "Empty agent_tasks and agent_actions_log first (required when they hold rows).")
    var reset = false

    func run() async throws {
        try await ScratchDatabase.with(url: databaseURL, reset: reset) { store, database, _ in
            let now = Date()
            let filling = ContinuousClock.now
            try await database.fillHistory(tasks: history, recent: recent, now: now)
            print("\(store.databaseKind.rawValue): \(history) finished tasks, \(recent) in the last hour, filled in \(ContinuousClock.now - filling)")
            var times: [Double] = []
            var last: QueueStats?
            for _ in 0..<repeats {
                let started = ContinuousClock.now
                last = try await QueueStats.read(from: store, now: now)
                let elapsed = ContinuousClock.now - started
                times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
            }
            times.sort()
            let p50 = times[times.count / 2]
            let max = times.last ?? 0
            print(String(format: "GET /stats read: p50 %.1f ms, max %.1f ms over %d reads", p50, max, times.count)
                + " (attempts read \(last?.attemptsRead ?? 0), truncated \(last?.truncated ?? false))")
        }
    }
}
