import Foundation
import TestSupport
import Testing

@testable import Scheduler
@testable import SchedulerPostgres
@testable import SchedulerSQLite
@testable import SchedulerService

/// A service enqueues inside its own PostgreSQL transaction: the task exists if and only
/// if that transaction commits.
@Suite("Enqueue in the caller's transaction", .timeLimit(.minutes(5)))
struct CallerTransactionTests {
    struct Rollback: Error {}

    /// The PostgreSQL store under a test database.
    struct PostgresStore: TaskStoreVisitor {
        func visit(_ store: PostgresTaskStore) -> PostgresTaskStore? { store }
        func visit(_ store: SQLiteTaskStore) -> PostgresTaskStore? { nil }
    }

    @Test("a rolled-back transaction leaves no task; a committed one leaves it, pending and due",
          .enabled(if: StoreKind.postgresAvailable, "needs PostgreSQL: run scripts/test"))
    func rollbackAndCommit() async throws {
        try await TestDatabase.with(.postgres) { db in
            let store = try #require(try db.store.accept(PostgresStore()))
            let logger = TestDatabase.logger
            let task = try NewTask(NoopHandler.self, context: .init(), idempotencyKey: "in-transaction")
            do {
                try await store.withTransaction { connection in
                    _ = try await PostgresTaskStore.enqueue(task, on: connection, logger: logger)
                    throw Rollback()
                }
            } catch is Rollback {}
            #expect(try await db.store.tasks(matching: TaskFilter()).isEmpty)

            let id = try await store.withTransaction { connection in
                try await PostgresTaskStore.enqueue(task, on: connection, logger: logger).task.id
            }
            #expect(try await db.store.task(id: id)?.status == .pending)
        }
    }
}
