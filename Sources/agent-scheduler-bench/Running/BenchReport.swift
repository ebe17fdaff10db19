import Foundation
import Histogram

/// What `bench` measured, as a table and as JSON.
struct BenchReport: Codable, Sendable {
    struct Throughput: Codable, Sendable {
        var tasks: Int
        var seconds: Double
        var tasksPerSecond: Double
        var actionLogRows: Int
    }

    /// W4: W1's tasks shared by several engine processes.
    struct Shared: Codable, Sendable {
        var processes: Int
        var throughput: Throughput
        /// Action-log rows beyond one per task: attempts that ran a task a second time.
        var duplicateRuns: Int
        var attemptsPerWorker: [String: Int]
        var peakRSSMBPerProcess: [Double]
    }

    /// Percentiles in milliseconds, from an HdrHistogram of microseconds (three
    /// significant digits), so p99 and max are read the way other queues report them.
    struct Distribution: Codable, Sendable {
        var count: Int
        var p50: Double
        var p95: Double
        var p99: Double
        var max: Double

        init(milliseconds values: [Double]) {
            var histogram = Histogram<UInt64>(highestTrackableValue: 3_600_000_000)
            for value in values { _ = histogram.record(UInt64((Swift.max(0, value) * 1000).rounded())) }
            func ms(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000 }
            count = Int(histogram.totalCount)
            p50 = ms(histogram.valueAtPercentile(50))
            p95 = ms(histogram.valueAtPercentile(95))
            p99 = ms(histogram.valueAtPercentile(99))
            self.max = ms(histogram.max)
        }
    }

    var database: String
    /// What ran the tasks: the in-process engine, or `agent-scheduler serve`.
    var engine = "in-process engine"
    var concurrency: Int
    var batchSize: Int
    var idleRSSMB: Double
    var peakRSSMB: Double = 0
    var w1: Throughput?
    var w2: Distribution?
    /// W2 from insert to `completed_at`.
    var w2Completed: Distribution?
    var w3: Distribution?
    var w4: Shared?

    var table: String {
        var lines = ["agent-scheduler-bench — \(database), \(engine), concurrency \(concurrency), batch \(batchSize)"]
        lines.append("workload                      result")
        if let w1 {
            lines.append(String(format: "W1 throughput                 %.0f tasks/s (%d tasks in %.2f s, %d action-log rows)",
                                w1.tasksPerSecond, w1.tasks, w1.seconds, w1.actionLogRows))
        }
        if let w2 {
            lines.append(String(format: "W2 pickup latency (ms)        p50 %.1f  p95 %.1f  p99 %.1f  max %.1f  (n=%d)",
                                w2.p50, w2.p95, w2.p99, w2.max, w2.count))
        }
        if let w2Completed {
            lines.append(String(format: "W2 insert to completed (ms)   p50 %.1f  p95 %.1f  p99 %.1f  max %.1f  (n=%d)",
                                w2Completed.p50, w2Completed.p95, w2Completed.p99, w2Completed.max, w2Completed.count))
        }
        if let w3 {
            lines.append(String(format: "W3 lateness (ms)              p50 %.1f  p95 %.1f  p99 %.1f  max %.1f  (n=%d)",
                                w3.p50, w3.p95, w3.p99, w3.max, w3.count))
        }
        if let w4 {
            let rss = w4.peakRSSMBPerProcess.map { String(format: "%.1f", $0) }.joined(separator: "/")
            lines.append(String(format: "W4 %d processes                %.0f tasks/s (%d tasks in %.2f s, %d duplicate runs, ",
                                w4.processes, w4.throughput.tasksPerSecond, w4.throughput.tasks, w4.throughput.seconds,
                                w4.duplicateRuns) + "peak RSS \(rss) MB)")
        }
        lines.append(String(format: "RSS (MB)                      idle %.1f  peak %.1f", idleRSSMB, peakRSSMB))
        return lines.joined(separator: "\n")
    }
}
