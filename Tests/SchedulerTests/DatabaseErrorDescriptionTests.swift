import PostgresNIO
import TestSupport
import Testing

@testable import Scheduler

@Suite("Database error description")
struct DatabaseErrorDescriptionTests {
    @Test("a PostgreSQL error is logged with the server's SQLSTATE and message, not PostgresNIO's generic line",
          arguments: StoreKind.available.filter { $0 == .postgres })
    func serverError(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = try #require(db.store as? PostgresTaskStore)
            let secret = "bound value that must not reach the log"
            do {
                _ = try await store.client.query("SELECT * FROM no_such_table WHERE note = \(secret)").collect()
                Issue.record("the query should have failed")
            } catch {
                let description = DatabaseErrorDescription.describe(error)
                #expect(description == #"PostgreSQL error 42P01: relation "no_such_table" does not exist"#)
                #expect(!description.contains(secret))
            }
        }
    }
}
