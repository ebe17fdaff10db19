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

    @Option(help: "postgres://… of a scratch database, or a SQLite path (default: a new temporary SQLite file).")
    var databaseURL: String?

    @Option(help: "Finished tasks in the history, each with its action-log row.")
    var history = 1_000_000

    @Option(help: "How many of them finished in the last hour.")
    var recent = 1_000

    @Option(help: "How many times to ask for each page.")
    var repeats = 20

    @Option(help: "The agent-scheduler binary to serve with (default: the one beside this benchmark).")
    var agentScheduler: String?

    @Flag(help: "Empty agent_tasks and agent_actions_log first (required when they hold rows).")
    var reset = false

    func run() async throws {
        let binary = try agentScheduler ?? ServeProcess.siblingBinary()
        try await ScratchDatabase.with(url: databaseURL, reset: reset) { store, database, url in
            let filling = ContinuousClock.now
            try await database.fillHistory(tasks: history, recent: recent, now: Date())
            print("\(store.databaseKind.rawValue): \(history) finished tasks, \(recent) in the last hour, filled in \(ContinuousClock.now - filling)")
            let pages = try await Self.pages(store)
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                // The history is what is measured over, so serve keeps it (its default
                // retention would start pruning the older half in the middle of the run).
                let keep = ["RETENTION_COMPLETED": "off", "RETENTION_FAILED": "off", "RETENTION_LOG": "off"]
                let serve = try await ServeProcess.start(binary: binary, databaseURL: url, settings: keep, client: client)
                defer { try? serve.stop() }
                for (name, path) in pages {
                    _ = try await Self.time(path, on: serve, client: client)
                    var times: [Double] = []
                    for _ in 0..<repeats { times.append(try await Self.time(path, on: serve, client: client)) }
                    times.sort()
                    print(String(
                        format: "%@: p50 %.1f ms, p95 %.1f ms, max %.1f ms over %d requests (%@)", name, times[times.count / 2],
                        times[min(times.count - 1, Int((Double(times.count) * 0.95).rounded(.up)) - 1)], times.last ?? 0,
                        times.count, path))
                }
                print(String(format: "serve peak RSS %.1f MB", serve.peakRSSMB))
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
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
            ("search by user (100 tasks)", "/dashboard/tasks?q=\(BenchDatabase.historyUser(1).lowercasedString)"),
            ("search by user (none)", "/dashboard/tasks?q=\(UUID().lowercasedString)"),
            ("search by idempotency key", "/dashboard/tasks?q=no-such-key"),
            ("bulk retry confirmation", "/dashboard/bulk?action=retry-failed&task_type=noop"),
        ]
        if let last = newest.last { pages.insert(("task list, next page", "/dashboard/tasks?cursor=\(last.id.lowercasedString)"), at: 2) }
        if let task = failed.first { pages.append(("task detail", "/dashboard/tasks/\(task.id.lowercasedString)")) }
        return pages
    }

    /// Milliseconds from asking for `path` to its whole page.
    private static func time(_ path: String, on serve: ServeProcess, client: HTTPClient) async throws -> Double {
        let started = ContinuousClock.now
        let response = try await client.execute(HTTPClientRequest(url: serve.baseURL + path), timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 16 * 1024 * 1024)
        let elapsed = ContinuousClock.now - started
        guard response.status == .ok else { throw BenchError.pageFailed(path: path, status: response.status.code) }
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }
}
