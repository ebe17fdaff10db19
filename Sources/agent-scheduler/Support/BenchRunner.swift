import Foundation
import Logging
import Scheduler

/// Runs the benchmark workloads against one store, each on an emptied table.
struct BenchRunner: Sendable {
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
            while try await database.completedCount() < tasks { try await Task.sleep(for: .milliseconds(10)) }
        }
        let seconds = (ContinuousClock.now - start).timeInterval
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
                // PostgreSQL's NOTIFY wakes the engine; the embedded SQLite file has no
                // other writer to hear from, so an enqueue wakes it in-process, as POST /tasks does.
                if store is SQLiteTaskStore { engine.triggerPoll() }
                try await Task.sleep(for: .milliseconds(20))
            }
            while try await database.completedCount() < samples { try await Task.sleep(for: .milliseconds(10)) }
        }
        return .init(try await database.startDelays().map(\.afterCreated))
    }

    /// W3: `samples` tasks scheduled 1-5 s ahead; how late each handler started.
    func punctuality(samples: Int) async throws -> BenchReport.Distribution {
        try await database.reset()
        try await withEngine { engine in
            let now = Date()
            for index in 0..<samples {
                let ahead = 1 + 4 * Double(index) / Double(max(samples - 1, 1))
                try await database.insertOne(scheduledFor: now.addingTimeInterval(ahead))
                if store is SQLiteTaskStore { engine.triggerPoll() }
            }
            while try await database.completedCount() < samples { try await Task.sleep(for: .milliseconds(10)) }
        }
        return .init(try await database.startDelays().map(\.afterScheduled))
    }

    /// Runs an engine (and, on PostgreSQL, the LISTEN wake-up) while `body` runs.
    private func withEngine(_ body: @escaping @Sendable (Engine) async throws -> Void) async throws {
        let engine = Engine(
            store: store, registry: try HandlerRegistry([NoopHandler()]), configuration: configuration, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await engine.run() }
            if let postgres = store as? PostgresTaskStore {
                group.addTask { await PostgresWakeListener(store: postgres, logger: logger) { engine.triggerPoll() }.run() }
            }
            try await body(engine)
            group.cancelAll()
        }
    }
}

/// What `bench` measured, as a table and as JSON.
struct BenchReport: Codable, Sendable {
    struct Throughput: Codable, Sendable {
        var tasks: Int
        var seconds: Double
        var tasksPerSecond: Double
        var actionLogRows: Int
    }

    struct Distribution: Codable, Sendable {
        var count: Int
        var p50: Double
        var p95: Double
        var p99: Double
        var max: Double

        init(_ values: [Double]) {
            let sorted = values.sorted()
            func percentile(_ p: Double) -> Double {
                guard !sorted.isEmpty else { return 0 }
                return sorted[min(sorted.count - 1, Swift.max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
            }
            count = sorted.count
            p50 = percentile(0.50)
            p95 = percentile(0.95)
            p99 = percentile(0.99)
            self.max = sorted.last ?? 0
        }
    }

    var database: String
    var concurrency: Int
    var batchSize: Int
    var idleRSSMB: Double
    var peakRSSMB: Double = 0
    var w1: Throughput?
    var w2: Distribution?
    var w3: Distribution?

    var table: String {
        var lines = ["agent-scheduler bench — \(database), concurrency \(concurrency), batch \(batchSize)"]
        lines.append("workload                      result")
        if let w1 {
            lines.append(String(format: "W1 throughput                 %.0f tasks/s (%d tasks in %.2f s, %d action-log rows)",
                                w1.tasksPerSecond, w1.tasks, w1.seconds, w1.actionLogRows))
        }
        if let w2 {
            lines.append(String(format: "W2 pickup latency (ms)        p50 %.1f  p95 %.1f  p99 %.1f  max %.1f  (n=%d)",
                                w2.p50, w2.p95, w2.p99, w2.max, w2.count))
        }
        if let w3 {
            lines.append(String(format: "W3 lateness (ms)              p50 %.1f  p95 %.1f  p99 %.1f  max %.1f  (n=%d)",
                                w3.p50, w3.p95, w3.p99, w3.max, w3.count))
        }
        lines.append(String(format: "RSS (MB)                      idle %.1f  peak %.1f", idleRSSMB, peakRSSMB))
        return lines.joined(separator: "\n")
    }
}

/// This process's memory, from /proc.
enum ProcessMemory {
    static func residentMB() -> Double { field("VmRSS") }
    static func peakMB() -> Double { field("VmHWM") }

    private static func field(_ name: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
    }
}
