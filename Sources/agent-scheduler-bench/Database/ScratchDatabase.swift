import ArgumentParser
import Foundation
import Logging
import Scheduler
import SchedulerService

/// The empty, migrated database a bench command measures: the one `--database-url`
/// names (emptied first with `--reset`), or a temporary SQLite file removed afterwards.
enum ScratchDatabase {
    /// The benchmark's logger: warnings and worse only, so the output stays the figures.
    static let logger: Logger = {
        var logger = Logger(label: "agent-scheduler.bench")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` with the store, its bench SQL and the URL it was opened from.
    static func with<T: Sendable>(
        url given: String?, reset: Bool, poolMode: DatabasePoolMode = .session,
        announcing: EventAnnouncement = .whenListened,
        _ body: (any TaskStore, BenchDatabase, String) async throws -> T
    ) async throws -> T {
        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("agent-scheduler-bench-\(UUID().uuidString).sqlite").path
        let url = given ?? temporary
        defer {
            if given == nil {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
            }
        }
        return try await StoreFactory.withStore(url: url, poolMode: poolMode, announcing: announcing, logger: logger) { store in
            try await store.migrate()
            let database = try BenchDatabase(store: store)
            if reset { try await database.reset() }
            guard try await database.isEmpty() else {
                throw ValidationError("agent_tasks is not empty: the benchmark needs a scratch database (pass --reset to empty it)")
            }
            return try await body(store, database, url)
        }
    }
}
