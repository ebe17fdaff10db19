import ArgumentParser
import Foundation
import Scheduler

/// `agent-scheduler stats`: the queue analytics of `GET /stats`, as tables or JSON.
struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the queue by task type and the last hour's work by type and worker.")

    @Flag(help: "Print JSON (as GET /stats) instead of tables.") var json = false
    @OptionGroup var settings: DatabaseOptions

    func run() async throws {
        let runtime = try Runtime(settings)
        let stats = try await runtime.withStore(.read) { store, _ in try await QueueStats.read(from: store, limits: runtime.configuration.taskLimits, now: Date()) }
        if json { return try Output.json(stats) }
        print(StatsTable.render(stats))
    }
}

/// Renders ``QueueStats`` as two tables: task types, then workers.
enum StatsTable {
    static func render(_ stats: QueueStats) -> String {
        guard !stats.taskTypes.isEmpty else { return "no tasks" }
        let types = TextTable.render(
            header: [
                "TYPE", "PENDING", "DUE", "RUNNING", "OLDEST DUE", "FAILED", "CANCELLED", "DONE 1/5/60M", "FAILED 60M",
                "WAIT P50/P95", "RUN P50/P95", "FAIL RATE", "FLOW",
            ],
            rows: stats.taskTypes.map { type in
                [
                    type.taskType, "\(type.pending)", "\(type.due)", "\(type.processing)",
                    type.oldestDueAgeSeconds.map { "\(Int($0)) s" } ?? "-", "\(type.failed)", "\(type.cancelled)",
                    AttemptSummary.windows.map { "\(type.completedLast["\($0)m"] ?? 0)" }.joined(separator: "/"),
                    "\(type.failedLast["60m"] ?? 0)", milliseconds(type.waitMs), milliseconds(type.runMs),
                    type.failureRate.map { String(format: "%.1f%%", $0 * 100) } ?? "-", flow(type),
                ]
            })
        var text = types
        if !stats.workers.isEmpty {
            text += "\n\n" + TextTable.render(
                header: ["WORKER", "ATTEMPTS 60M", "SUCCEEDED", "MEAN RUN", "LAST FINISHED"],
                rows: stats.workers.map { worker in
                    [
                        worker.workerID, "\(worker.attempts)", "\(worker.succeeded)",
                        String(format: "%.1f ms", worker.meanRunMs), Timestamp.string(from: worker.lastFinishedAt),
                    ]
                })
        }
        if stats.truncated {
            text += "\n\nthe last hour had more than \(stats.attemptsRead) attempts; the most recent \(stats.attemptsRead) are shown"
        }
        return text
    }

    /// `paused`, and the limits: `max 4, 60/1m`; `-` for neither.
    private static func flow(_ type: QueueStats.TypeStats) -> String {
        var parts: [String] = type.paused ? ["paused"] : []
        if let concurrency = type.limit?.concurrency { parts.append("max \(concurrency)") }
        if let rate = type.limit?.rate { parts.append(rate) }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }

    private static func milliseconds(_ value: QueueStats.Percentiles?) -> String {
        value.map { "\($0.p50)/\($0.p95) ms" } ?? "-"
    }
}
