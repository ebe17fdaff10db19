import ArgumentParser
import Foundation
import Scheduler
import Synchronization

/// `agent-scheduler-bench stats`: times the reads behind `GET /stats` and
/// `agent-scheduler stats` over a long history of finished tasks.
struct StatsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Time the queue analytics (GET /stats) over a history of finished tasks.")

    @OptionGroup var options: HistoryOptions

    func run() async throws {
        try await ScratchDatabase.with(url: options.databaseURL, reset: options.reset) { store, database, _ in
            let now = Date()
            let filling = ContinuousClock.now
            try await database.fillHistory(tasks: options.history, recent: options.recent, now: now)
            print("\(store.databaseKind.rawValue): \(options.history) finished tasks, \(options.recent) in the last hour, filled in \(ContinuousClock.now - filling)")
            let stats = Mutex<QueueStats?>(nil)
            let timings = try await Timings.measure(repeats: options.repeats, warmUp: false) {
                let read = try await QueueStats.read(from: store, now: now)
                stats.withLock { $0 = read }
            }
            let last = stats.withLock { $0 }
            print("GET /stats read: \(timings.summary) reads (attempts read \(last?.attemptsRead ?? 0), truncated \(last?.truncated ?? false))")
        }
    }
}
