import ArgumentParser
import AsyncHTTPClient
import Foundation
import Scheduler

/// `agent-scheduler-bench dashboard`: times the dashboard's pages as a browser asks for
/// them, from a real `agent-scheduler serve` over a long history of tasks.
struct DashboardBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Time the dashboard's pages, served by agent-scheduler serve, over a history of tasks.")

    @OptionGroup var options: HistoryOptions

    @Option(help: "The agent-scheduler binary to serve with (default: the one beside this benchmark).")
    var agentScheduler: String?

    func run() async throws {
        let binary = try agentScheduler ?? ServeProcess.siblingBinary()
        try await ScratchDatabase.with(url: options.databaseURL, reset: options.reset) { store, database, url in
            let filling = ContinuousClock.now
            try await database.fillHistory(tasks: options.history, recent: options.recent, now: Date())
            print("\(store.databaseKind.rawValue): \(options.history) finished tasks, \(options.recent) in the last hour, filled in \(ContinuousClock.now - filling)")
            let pages = try await Self.pages(store)
            // The history is what is measured over, so serve keeps it.
            let serve = try await ServeProcess.start(binary: binary, databaseURL: url, settings: ServeProcess.keepHistory)
            defer { try? serve.stop() }
            for (name, path) in pages {
                let timings = try await Timings.measure(repeats: options.repeats) { try await Self.get(path, from: serve) }
                print("\(name): \(timings.summary) requests (\(path))")
            }
            print(String(format: "serve peak RSS %.1f MB", serve.peakRSSMB))
        }
    }

    /// What an operator opens: the overview, the list unfiltered, filtered and one page
    /// on, the searches, a task, and a bulk action's confirmation count.
    private static func pages(_ store: any TaskStore) async throws -> [(String, String)] {
        let newest = try await store.tasks(matching: TaskFilter())
        let failed = try await store.tasks(matching: TaskFilter(status: .failed, limit: 1))
        var pages = [
            ("overview", "/dashboard"),
            ("task list", "/dashboard/tasks"),
            ("failed tasks", "/dashboard/tasks?status=failed"),
            ("one type's completed tasks", "/dashboard/tasks?status=completed&task_type=probe"),
            ("one type's tasks", "/dashboard/tasks?task_type=schedule_followup"),
            ("cancelled tasks (there are none)", "/dashboard/tasks?status=cancelled"),
            ("search by a user with tasks", "/dashboard/tasks?q=\(BenchDatabase.historyUser(1).lowercasedString)"),
            ("search by a user without tasks", "/dashboard/tasks?q=\(UUID().lowercasedString)"),
            ("search by idempotency key", "/dashboard/tasks?q=no-such-key"),
            ("bulk retry confirmation", "/dashboard/bulk?action=retry-failed&task_type=noop"),
        ]
        if let last = newest.last { pages.insert(("task list, next page", "/dashboard/tasks?cursor=\(last.id.lowercasedString)"), at: 2) }
        if let task = failed.first { pages.append(("task detail", "/dashboard/tasks/\(task.id.lowercasedString)")) }
        return pages
    }

    /// Asks for `path` and reads its whole page; throws unless it answered 200.
    private static func get(_ path: String, from serve: ServeProcess) async throws {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: serve.baseURL + path), timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 16 * 1024 * 1024)
        guard response.status == .ok else { throw BenchError.pageFailed(path: path, status: response.status.code) }
    }
}
