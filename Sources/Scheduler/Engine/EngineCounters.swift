import Foundation
import Synchronization

/// What this process has done since it started, for `/health` and logs.
public final class EngineCounters: Sendable {
    /// A consistent copy of the counters.
    public struct Snapshot: Sendable, Hashable, Codable {
        /// Attempts finished (each retry counts).
        public var processed = 0
        public var succeeded = 0
        public var failed = 0
        public var lastProcessedAt: Date?

        /// Succeeded attempts as a share of all, 1 when nothing ran yet.
        public var successRate: Double { processed == 0 ? 1 : Double(succeeded) / Double(processed) }
    }

    private let state = Mutex(Snapshot())

    public init() {}

    /// The counters now.
    public var snapshot: Snapshot { state.withLock { $0 } }

    func record(_ outcome: AttemptRecord.Outcome, at date: Date) {
        state.withLock { counters in
            counters.processed += 1
            if case .completed = outcome { counters.succeeded += 1 } else { counters.failed += 1 }
            counters.lastProcessedAt = date
        }
    }
}
