import Foundation
import Logging
import NIOCore
import SQLiteNIO
import Scheduler
import ServiceLifecycle
import Synchronization

/// The embedded ``TaskStore``: one SQLite file, so a newcomer runs the scheduler with no
/// database server.
///
/// The file is in WAL mode with a busy timeout, so a lock held by another process makes
/// a statement wait and then fail with a retryable error, never crash. Within the
/// process, one connection serves every call, and an ``AsyncLock`` keeps each call's
/// statements (and transactions) together.
public final class SQLiteTaskStore: TaskStore {
    let connection: SQLiteConnection
    let lock = AsyncLock()
    /// The database file's absolute path, for programs that open the file beside the store.
    public let path: String
    private let closed = Mutex(false)
    private let servingLock = SQLiteServingLock()
    /// The events of the changes this store commits. In-process only: another process
    /// writing the file (the CLI, a script) wakes the engine but publishes nothing here.
    public let events = TaskEventBus()
    /// The deployment's webhook subscriptions, written to the outbox with final states.
    let webhooks: WebhookSubscriptions
    /// The per-type limits every claim honours.
    let limits: TaskLimits

    private init(connection: SQLiteConnection, path: String, webhooks: WebhookSubscriptions, limits: TaskLimits) {
        self.connection = connection
        self.path = path
        self.webhooks = webhooks
        self.limits = limits
    }

    /// Opens (creating if needed) the database file at `path`.
    public static func open(
        path: String, webhooks: WebhookSubscriptions = .none, limits: TaskLimits = .none, logger: Logger
    ) async throws -> SQLiteTaskStore {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        do {
            for pragma in [
                "PRAGMA journal_mode = WAL", "PRAGMA busy_timeout = 5000", "PRAGMA synchronous = NORMAL",
                "PRAGMA foreign_keys = ON", "PRAGMA temp_store = MEMORY", attemptResultsTable,
            ] {
                _ = try await connection.rows(pragma, [])
            }
        } catch {
            try? await connection.close()
            throw error
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        return SQLiteTaskStore(connection: connection, path: absolute, webhooks: webhooks, limits: limits)
    }

    /// Keeps the connection open until shutdown or cancellation, then closes it.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    public func close() async {
        servingLock.release()
        guard closed.withLock({ closed in defer { closed = true }; return !closed }) else { return }
        // The future-based close runs even if this task is cancelled; the async one would
        // refuse and leave the file open.
        let closing: EventLoopFuture<Void> = connection.close()
        await lock.withLock { try? await closing.get() }
    }

    public var location: String { "SQLite file \(path)" }

    public func checkReachable() async throws {
        do {
            _ = try await query("SELECT 1")
        } catch let error as CancellationError {
            throw error
        } catch {
            throw DatabaseUnreachableError(location: location, reason: "\(error)")
        }
    }

    public func lockForServing() throws {
        try servingLock.acquire(databasePath: path, location: location)
    }

    // MARK: Statements and transactions

    /// Runs one statement on its own. Public for code that shares this database, such
    /// as the handlers' domain store: every statement must go through this store.
    public func query(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        try await lock.withLock { try await connection.rows(sql, binds) }
    }

    /// Runs `body` in a write transaction (`BEGIN IMMEDIATE`), committing if it returns.
    /// `body` runs its statements with ``SQLiteNIO/SQLiteConnection/rows(_:_:)``.
    public func transaction<T: Sendable>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
        try await lock.withLock {
            _ = try await connection.rows("BEGIN IMMEDIATE", [])
            do {
                let value = try await body(connection)
                _ = try await connection.rows("COMMIT", [])
                return value
            } catch {
                _ = try? await connection.rows("ROLLBACK", [])
                throw error
            }
        }
    }

    // MARK: TaskStore

    public var databaseKind: DatabaseKind { .sqlite }

    public func migrate(modules: [any SchemaModule]) async throws -> [AppliedMigration] {
        let plan = try MigrationPlan(engine: SQLiteMigrations.all, modules: modules, database: .sqlite)
        return try await transaction { connection in try await SQLiteMigrator(connection: connection).apply(plan) }
    }

    public func run(statements: [String]) async throws {
        try await transaction { connection in
            for (index, statement) in statements.enumerated() {
                do {
                    _ = try await connection.rows(statement, [])
                } catch {
                    throw SQLScriptError(statement: index + 1, text: statement, error: error)
                }
            }
        }
    }

    /// Watches the file for commits by other processes (the CLI, scripts, plain SQL);
    /// enqueues through this process wake its engine in-process.
    public func wakeListener(logger: Logger, wake: @escaping @Sendable () -> Void) -> (any Service)? {
        SQLiteChangeWatcher(store: self, wake: wake)
    }

    /// SQLite's count of commits to the file by other connections
    /// (`PRAGMA data_version`): it changes whenever another process writes.
    func dataVersion() async throws -> Int {
        try await query("PRAGMA data_version").first?.columns.first?.data.integer ?? 0
    }

    public func enqueue(_ task: NewTask, now: Date) async throws -> EnqueueResult {
        let id = UUID()
        return try await events.creating([id]) {
            try await transaction { connection in try await Self.insert(task, id: id, now: now, on: connection) }
        } created: { result in
            result.created ? [.changed(.created, result.task, at: now)] : []
        }
    }

    /// One transaction for the whole batch: SQLite runs in this process, so the inserts
    /// cost no round trips, and a failure of any leaves none.
    public func enqueue(batch tasks: [NewTask], now: Date) async throws -> [EnqueueResult] {
        guard !tasks.isEmpty else { return [] }
        let ids = tasks.map { _ in UUID() }
        return try await events.creating(ids) {
            try await transaction { connection in
                var results: [EnqueueResult] = []
                for (task, id) in zip(tasks, ids) { results.append(try await Self.insert(task, id: id, now: now, on: connection)) }
                return results
            }
        } created: { results in
            results.filter(\.created).map { .changed(.created, $0.task, at: now) }
        }
    }

    /// Inserts `task`, or returns the task that holds its idempotency key; inside a transaction.
    static func insert(_ task: NewTask, id: UUID = UUID(), now: Date, on connection: SQLiteConnection) async throws -> EnqueueResult {
        let inserted = try await connection.rows(
            """
            INSERT INTO agent_tasks (
                id, task_type, agent_type, user_id, context_id, context_type, scheduled_for, priority,
                max_retries, context_json, created_by, idempotency_key, created_at, updated_at, callback_url)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING \(SQLiteTaskRow.columns)
            """,
            [
                SQLiteValue.bind(id), .text(task.taskType), .text(task.agentType),
                SQLiteValue.bind(task.userID), SQLiteValue.bind(task.contextID),
                SQLiteValue.bind(task.contextType), SQLiteValue.bind(task.scheduledFor ?? now),
                .text(task.priority.rawValue), SQLiteValue.bind(task.maxRetries), .text(task.contextJSON),
                SQLiteValue.bind(task.createdBy), SQLiteValue.bind(task.idempotencyKey),
                SQLiteValue.bind(now), SQLiteValue.bind(task.callbackURL),
            ]
        )
        if let row = inserted.first { return EnqueueResult(task: try SQLiteTaskRow.task(from: row), created: true) }
        let existing = try await connection.rows(
            "SELECT \(SQLiteTaskRow.columns) FROM agent_tasks WHERE idempotency_key = ?1",
            [SQLiteValue.bind(task.idempotencyKey)]
        )
        guard let row = existing.first else {
            throw SchedulerError.invalidInput(field: "idempotency_key", reason: "the conflicting task disappeared; try again")
        }
        return EnqueueResult(task: try SQLiteTaskRow.task(from: row), created: false)
    }

    /// The ids of the first `?5` due tasks (due by `?3`, of the types in the JSON array
    /// `?4` that are not paused) in claim order. Naming every priority rank lets SQLite seek one index range
    /// per rank, each ending at the first task not yet due, and read them in order without
    /// sorting, so a claim costs the same however many tasks are scheduled for later
    /// (BENCHMARKS.md has the figures).
    static let dueTasks = """
        SELECT id FROM agent_tasks
        WHERE status = 'pending' AND priority_rank IN (\(TaskPriority.ranks.map(String.init).joined(separator: ", ")))
          AND scheduled_for <= ?3 AND task_type IN (SELECT value FROM json_each(?4))
          AND task_type NOT IN (SELECT task_type FROM agent_task_type_pauses)
        ORDER BY priority_rank, scheduled_for
        LIMIT ?5
        """

    public func release(ids: [UUID], workerID: String, now: Date) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await change(.released, now: now,
            """
            UPDATE agent_tasks SET status = 'pending', locked_by = NULL, locked_until = NULL, updated_at = ?1
            WHERE id IN (SELECT value FROM json_each(?2)) AND status = 'processing' AND locked_by = ?3
            """,
            [SQLiteValue.bind(now), SQLiteValue.bindList(ids), .text(workerID)]
        ).count
    }

    public func cancel(id: UUID, now: Date) async throws -> AgentTask {
        let binds = [SQLiteValue.bind(now), SQLiteValue.bind(id)]
        let webhooks = webhooks
        let cancelled = try await transaction { connection -> AgentTask? in
            let rows = try await connection.rows(
                """
                UPDATE agent_tasks SET status = 'cancelled', updated_at = ?1 WHERE id = ?2 AND status = 'pending'
                RETURNING \(SQLiteTaskRow.columns)
                """, binds)
            guard let task = try rows.first.map(SQLiteTaskRow.task(from:)) else { return nil }
            try await Self.insert(NewWebhookDelivery.deliveries(forCancelled: task, at: now, to: webhooks), on: connection)
            return task
        }
        if let cancelled {
            events.publish([.changed(.cancelled, cancelled, at: now)])
            return cancelled
        }
        if let task = try await change(.cancelRequested, now: now,
            """
            UPDATE agent_tasks SET cancel_requested_at = ?1, updated_at = ?1
            WHERE id = ?2 AND status = 'processing' AND cancel_requested_at IS NULL
            """, binds
        ).first {
            return task
        }
        return try await cancelAlreadyRequested(id: id)
    }

    public func cancellationRequests(among ids: [UUID]) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        let rows = try await query(
            """
            SELECT id FROM agent_tasks
            WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'processing' AND cancel_requested_at IS NOT NULL
            """,
            [SQLiteValue.bindList(ids)]
        )
        return Set(try rows.map { try SQLiteValue.uuid($0, "id") })
    }

    public func retry(id: UUID, now: Date) async throws -> AgentTask {
        let changed = try await change(.retried, now: now,
            """
            UPDATE agent_tasks
            SET status = 'pending', retry_count = 0, scheduled_for = ?1, completed_at = NULL,
                locked_by = NULL, locked_until = NULL, cancel_requested_at = NULL, updated_at = ?1
            WHERE id = ?2 AND status IN ('failed', 'cancelled')
            """,
            [SQLiteValue.bind(now), SQLiteValue.bind(id)]
        )
        if let task = changed.first { return task }
        throw try await transitionError(id: id, action: "retry")
    }

    public func saveProgress(_ progress: TaskProgress, taskID: UUID, workerID: String) async throws -> Bool {
        try await !change(.progress, now: progress.updatedAt,
            "UPDATE agent_tasks SET progress_json = ?1 WHERE id = ?2 AND status = 'processing' AND locked_by = ?3",
            [.text(progress.json), SQLiteValue.bind(taskID), .text(workerID)]
        ).isEmpty
    }

    /// Runs an `UPDATE` of `agent_tasks` (without RETURNING), publishes the `kind` event
    /// of each task it changed, and returns those tasks.
    func change(_ kind: TaskEvent.Kind, now: Date, _ update: String, _ binds: [SQLiteData]) async throws -> [AgentTask] {
        let tasks = try await query(update + " RETURNING \(SQLiteTaskRow.columns)", binds).map(SQLiteTaskRow.task(from:))
        events.publish(tasks.map { .changed(kind, $0, at: now) })
        return tasks
    }

}
