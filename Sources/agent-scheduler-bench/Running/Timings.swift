import Foundation
import Scheduler

/// Repeated timings of one read or page, in milliseconds, summed up the way the `stats`,
/// `dashboard` and `backlog` commands print them.
struct Timings {
    private(set) var milliseconds: [Double] = []

    /// Times `body` `repeats` times, after one untimed call when `warmUp` (so caches and
    /// prepared statements are the steady state's).
    static func measure(repeats: Int, warmUp: Bool = true, _ body: () async throws -> Void) async throws -> Timings {
        if warmUp { try await body() }
        var timings = Timings()
        for _ in 0..<repeats {
            let started = ContinuousClock.now
            try await body()
            timings.milliseconds.append((ContinuousClock.now - started).timeInterval * 1000)
        }
        return timings
    }

    /// `p50 …, p95 …, max … ms over N`, by nearest rank.
    var summary: String {
        let sorted = milliseconds.sorted()
        guard let max = sorted.last else { return "no timings" }
        func rank(_ p: Double) -> Double { sorted[Swift.max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1)] }
        return String(format: "p50 %.1f ms, p95 %.1f ms, max %.1f ms over %d", rank(0.5), rank(0.95), max, sorted.count)
    }
}
