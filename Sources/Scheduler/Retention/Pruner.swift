import Foundation
import Logging
import ServiceLifecycle

/// Deletes finished tasks, action-log rows and settled webhook deliveries past their
/// ``RetentionPolicy`` age: in batches of ``batchSize`` rows, each its own short
/// transaction, with a pause between batches so the deletes never come as one burst of
/// I/O or hold long locks. On PostgreSQL one instance prunes at a time (each batch
/// takes a transaction-level advisory lock and another instance holding it ends the
/// round); SQLite has one writer anyway.
public struct Pruner: Service {
    let store: any TaskStore
    let policy: RetentionPolicy
    let clock: any WallClock
    let logger: Logger
    /// The pause between two batches.
    let pause: Duration
    /// How often a serving instance prunes.
    let interval: Duration

    /// Rows one batch deletes at most.
    public static let batchSize = 1_000

    public init(
        store: any TaskStore, policy: RetentionPolicy, clock: any WallClock = SystemClock(), pause: Duration = .milliseconds(20),
        interval: Duration = .seconds(300), logger: Logger
    ) {
        self.store = store
        self.policy = policy
        self.clock = clock
        self.pause = pause
        self.interval = interval
        self.logger = logger
    }

    /// What a round deleted (or, dry, would delete), by target.
    public struct Report: Sendable, Encodable, Equatable {
        public var deleted: [String: Int] = [:]
        public var dryRun = false
        /// Whether another instance was pruning, so this round stopped.
        public var yielded = false

        enum CodingKeys: String, CodingKey {
            case deleted
            case wouldDelete = "would_delete"
            case dryRun = "dry_run"
            case yielded
        }

        /// A dry run's counts are `would_delete`, so nobody reads them as done.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(deleted, forKey: dryRun ? .wouldDelete : .deleted)
            try container.encode(dryRun, forKey: .dryRun)
            try container.encode(yielded, forKey: .yielded)
        }
    }

    /// Prunes every target until nothing is past its age; with `dryRun`, counts instead.
    public func prune(dryRun: Bool = false) async throws -> Report {
        var report = Report(dryRun: dryRun)
        let now = clock.now
        for (target, before) in policy.cutoffs(now: now) {
            if dryRun {
                report.deleted[target.rawValue] = try await store.countPrunable(target, before: before)
                continue
            }
            var total = 0
            while !Task.isCancelled {
                guard let deleted = try await store.prune(target, before: before, limit: Self.batchSize) else {
                    report.yielded = true
                    break
                }
                total += deleted
                if deleted < Self.batchSize { break }
                if pause > .zero { try await Task.sleep(for: pause) }
            }
            report.deleted[target.rawValue] = total
        }
        return report
    }

    /// Prunes every ``interval`` until graceful shutdown, which ends it quietly.
    public func run() async throws {
        guard policy != .off else { return }
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    await pruneAndLog()
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// One round, its outcome logged: a failure is retried next round.
    private func pruneAndLog() async {
        do {
            let report = try await prune()
            let deleted = report.deleted.filter { $0.value > 0 }.sorted { $0.key < $1.key }
            if !deleted.isEmpty {
                logger.info("pruned finished work past its retention", metadata: [
                    "deleted": "\(deleted.map { "\($0.key)=\($0.value)" }.joined(separator: ","))",
                ])
            }
        } catch is CancellationError {
            return
        } catch {
            logger.error("pruning failed; will try again", metadata: ["error": "\(DatabaseErrorDescription.describe(error))"])
        }
    }
}
