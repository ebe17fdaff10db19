import PostgresNIO
import Scheduler
import SchedulerPostgres
import SchedulerSQLite
import SchedulerService

/// Plain SQL with text parameters over a PostgreSQL store's pool, as another service
/// would run it.
struct PostgresTestQuery: Sendable {
    let store: PostgresTaskStore

    @Sendable func run(_ sql: String, _ binds: [String?]) async throws -> [[String?]] {
        var bindings = PostgresBindings()
        for bind in binds { bindings.append(bind) }
        return try await store.query(PostgresQuery(unsafeSQL: sql, binds: bindings)).collect().map { row in
            try row.map { try $0.decode(String?.self) }
        }
    }

    /// The query for a PostgreSQL store; `nil` for any other.
    struct Maker: TaskStoreVisitor {
        func visit(_ store: PostgresTaskStore) -> PostgresTestQuery? { PostgresTestQuery(store: store) }
        func visit(_ store: SQLiteTaskStore) -> PostgresTestQuery? { nil }
    }
}
