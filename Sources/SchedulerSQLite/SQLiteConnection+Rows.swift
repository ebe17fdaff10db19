import SQLiteNIO
import Scheduler
import Synchronization

extension SQLiteConnection {
    /// Runs one statement and returns its rows, collected on SQLite's own thread.
    ///
    /// SQLiteNIO's `query(_:_:) -> [SQLiteRow]` hands every row to the event loop as a
    /// task of its own; a claim or result write of a thousand rows paid a thousand thread
    /// hops for it. The store and the code that shares its connection use this instead.
    public func rows(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        let rows = Mutex<[SQLiteRow]>([])
        try await query(sql, binds) { row in rows.withLock { $0.append(row) } }
        return rows.withLock { $0 }
    }
}
