import Foundation
import Logging
import Scheduler

/// An engine over a test database with a manual clock.
public struct EngineHarness: Sendable {
    public let db: TestDatabase
    public let clock: ManualClock
    public let engine: Engine

    public init(
        _ db: TestDatabase,
        handlers: [any TaskHandler],
        configure: (inout EngineConfiguration) -> Void = { _ in }
    ) throws {
        var configuration = EngineConfiguration(workerID: "test-worker", pollInterval: .seconds(3600))
        configure(&configuration)
        self.db = db
        self.clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        self.engine = Engine(
            store: db.store,
            registry: try HandlerRegistry(handlers),
            configuration: configuration,
            clock: clock,
            logger: TestDatabase.logger
        )
    }

    /// Enqueues a task due now on the harness clock.
    public func enqueue(_ type: String, context: String = "{}", maxRetries: Int = 3) async throws -> AgentTask {
        try await db.store.enqueue(
            NewTask(taskType: type, scheduledFor: clock.now, maxRetries: maxRetries, contextJSON: context),
            now: clock.now
        ).task
    }

    public func task(_ id: UUID) async throws -> AgentTask? {
        try await db.store.task(id: id)
    }
}
