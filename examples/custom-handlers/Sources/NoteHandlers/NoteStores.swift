import Scheduler
import SchedulerPostgres
import SchedulerService
import SchedulerSQLite

/// Picks the note store of the scheduler's own database, sharing its connections.
public enum NoteStores {
    public static func make(for store: any TaskStore) throws -> any NoteStore {
        try store.accept(Maker())
    }

    private struct Maker: TaskStoreVisitor {
        func visit(_ store: PostgresTaskStore) -> any NoteStore { PostgresNoteStore(store: store) }
        func visit(_ store: SQLiteTaskStore) -> any NoteStore { SQLiteNoteStore(store: store) }
    }
}
