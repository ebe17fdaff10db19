import Scheduler
import ServiceLifecycle

/// Wakes the engine when another process commits to the SQLite file: the CLI's
/// `enqueue` or `tasks retry`, a script, or plain SQL. SQLite bumps a connection's
/// `PRAGMA data_version` when any other connection commits, so asking it every
/// ``interval`` costs one tiny statement and starts such tasks within that time.
struct SQLiteChangeWatcher: Service {
    /// How often the file is asked.
    static let interval = Duration.milliseconds(100)

    let store: SQLiteTaskStore
    let wake: @Sendable () -> Void

    func run() async {
        await cancelWhenGracefulShutdown {
            var last: Int?
            while !Task.isCancelled {
                if let version = try? await store.dataVersion() {
                    if let last, version != last { wake() }
                    last = version
                }
                try? await Task.sleep(for: Self.interval)
            }
        }
    }
}
