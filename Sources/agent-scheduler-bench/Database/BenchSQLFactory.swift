import Scheduler
import SchedulerPostgres
import SchedulerSQLite
import SchedulerService

/// Picks the benchmark's SQL for the store's own database.
struct BenchSQLFactory: TaskStoreVisitor {
    func visit(_ store: PostgresTaskStore) -> any BenchSQL { PostgresBenchSQL(store: store) }
    func visit(_ store: SQLiteTaskStore) -> any BenchSQL { SQLiteBenchSQL(store: store) }
}
