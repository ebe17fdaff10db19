import Foundation
import Logging
import Scheduler
import SchedulerPostgres
import SchedulerSQLite

/// Opens the store a `DATABASE_URL` names: PostgreSQL for `postgres://` and
/// `postgresql://`, otherwise a SQLite file (an optional `sqlite://` prefix is dropped).
public enum StoreFactory {
    /// Opens the store; its `run()` must be running before it is used. `poolMode` tells
    /// a PostgreSQL store what pooler, if any, stands between it and the server, and
    /// `announcing` when it tells other instances of its changes, `webhooks` which
    /// URLs the deployment tells of final states, and `limits` how many tasks of a type
    /// its claims may start; `bounds` how long a PostgreSQL call may go unanswered.
    public static func open(
        url: String, poolMode: DatabasePoolMode = .session, announcing: EventAnnouncement = .always,
        webhooks: WebhookSubscriptions = .none, limits: TaskLimits = .none, bounds: DatabaseBounds = DatabaseBounds(),
        logger: Logger
    ) async throws -> any TaskStore {
        let scheme = url.range(of: "://").map { url[..<$0.lowerBound].lowercased() }
        if scheme == "postgres" || scheme == "postgresql" {
            return BoundedTaskStore(try PostgresTaskStore(
                url: url, poolMode: poolMode, announcing: announcing, webhooks: webhooks, limits: limits, logger: logger),
                bounds: bounds)
        }
        guard let path = sqlitePath(url) else {
            throw ConfigurationError.invalidValue(
                setting: ConfigurationSetting.databaseURL.displayName, value: Redaction.url(url),
                expected: "a postgres:// URL or a SQLite file path")
        }
        return try await SQLiteTaskStore.open(path: path, webhooks: webhooks, limits: limits, logger: logger)
    }

    /// The SQLite file a `DATABASE_URL` names (an optional `sqlite://` or `sqlite:` prefix
    /// dropped), or `nil` for a URL of another scheme or an empty path.
    public static func sqlitePath(_ url: String) -> String? {
        if let scheme = url.range(of: "://").map({ url[..<$0.lowerBound].lowercased() }), scheme != "sqlite" { return nil }
        var path = url
        for prefix in ["sqlite://", "sqlite:"] where path.lowercased().hasPrefix(prefix) {
            path.removeFirst(prefix.count)
        }
        return path.isEmpty ? nil : path
    }

    /// Opens the store, runs it for the duration of `body`, and shuts it down after.
    public static func withStore<T: Sendable>(
        url: String,
        poolMode: DatabasePoolMode = .session,
        announcing: EventAnnouncement = .always,
        webhooks: WebhookSubscriptions = .none,
        limits: TaskLimits = .none,
        bounds: DatabaseBounds = DatabaseBounds(),
        logger: Logger,
        _ body: (any TaskStore) async throws -> T
    ) async throws -> T {
        let store = try await open(
            url: url, poolMode: poolMode, announcing: announcing, webhooks: webhooks, limits: limits, bounds: bounds,
            logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            do {
                let result = try await body(store)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}
