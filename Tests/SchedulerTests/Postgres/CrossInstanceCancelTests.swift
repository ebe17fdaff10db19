import Foundation
import TestSupport
import Testing

@testable import Scheduler
@testable import SchedulerPostgres
@testable import SchedulerService

/// A cancel made on one PostgreSQL instance reaches the instance running the task
/// through the notification channel, even when nobody streams events.
@Suite("Cancel across PostgreSQL instances", .timeLimit(.minutes(5)))
struct CrossInstanceCancelTests {
    @Test("a running task cancelled through another instance is stopped by the engine that runs it",
          .enabled(if: StoreKind.postgresAvailable, "needs PostgreSQL: run scripts/test"))
    func cancelHeardElsewhere() async throws {
        try await TestDatabase.with(.postgres) { db in
            try await StoreFactory.withStore(url: db.url, announcing: .whenListened, bounds: TestDatabase.bounds, logger: TestDatabase.logger) { other in
              try await StoreFactory.withStore(url: db.url, bounds: TestDatabase.bounds, logger: TestDatabase.logger) { probe in
                let listener = try #require(db.store.wakeListener(logger: TestDatabase.logger) {})
                let listening = Task { try await listener.run() }
                defer { listening.cancel() }
                try await withDeadline {
                    // A one-shot store always announces: once its notices arrive, LISTEN is in place.
                    try await CrossInstanceEventsTests().waitUntilHeard(from: probe, by: db.store)
                    let records = try await CancelRunningTests().withRunningGate(db.store) { _, id in
                        #expect((other as? BoundedTaskStore<PostgresTaskStore>)?.inner.audience.origin(of: other.events) == nil, "no event clients anywhere")
                        _ = try await other.cancel(id: id, now: Date())
                    }
                    try await CancelRunningTests().expectCancelled(records, in: db.store)
                }
              }
            }
        }
    }
}
