import Scheduler
import SchedulerPostgres
import SchedulerSQLite
import SchedulerService

/// Builds the domain store that shares a task store's database, in that database's dialect.
public enum DomainStores {
    public static func make(for store: any TaskStore) throws -> any DomainStore {
        try store.accept(Maker())
    }

    /// Picks the domain store for the task store's own type.
    private struct Maker: TaskStoreVisitor {
        func visit(_ store: PostgresTaskStore) -> any DomainStore { PostgresDomainStore(store: store) }
        func visit(_ store: SQLiteTaskStore) -> any DomainStore { SQLiteDomainStore(store: store) }
    }
}
