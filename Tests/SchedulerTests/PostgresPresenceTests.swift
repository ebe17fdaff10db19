import TestSupport
import Testing

/// Makes a run without PostgreSQL say so: every `StoreKind.available` test then runs on
/// SQLite only, and this test is listed as skipped with the reason (CI fails on a skip).
@Suite("PostgreSQL presence", .timeLimit(.minutes(1)))
struct PostgresPresenceTests {
    @Test("PostgreSQL is configured, so every store test also runs on it",
          .enabled(if: StoreKind.postgresAvailable, "no TEST_DATABASE_URL: the PostgreSQL cases of every store test are left out; run scripts/test"))
    func postgresConfigured() {
        #expect(StoreKind.available.contains(.postgres))
    }
}
