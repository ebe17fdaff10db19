import TestSupport
import Testing

@testable import Scheduler

@Suite("Database error description", .timeLimit(.minutes(5)))
struct DatabaseErrorDescriptionTests {
    @Test("a PostgreSQL error is logged with the server's SQLSTATE and message, not PostgresNIO's generic line",
          .enabled(if: StoreKind.postgresAvailable, "needs PostgreSQL: run scripts/test"))
    func serverError() async throws {
        try await TestDatabase.with(.postgres) { db in
            let secret = "bound value that must not reach the log"
            do {
                _ = try await db.query("SELECT * FROM no_such_table WHERE note = $1", [secret])
                Issue.record("the query should have failed")
            } catch {
                let description = DatabaseErrorDescription.describe(error)
                #expect(description == #"PostgreSQL error 42P01: relation "no_such_table" does not exist"#)
                #expect(!description.contains(secret))
            }
        }
    }
}
