import Foundation
import Logging
import NIOPosix
import PostgresNIO
import Scheduler
import ServiceLifecycle
import Synchronization

/// The PostgreSQL ``TaskStore``: many scheduler instances share one database, and
/// `FOR UPDATE SKIP LOCKED` claims keep any two of them from running the same task.
public final class PostgresTaskStore: TaskStore {
    private let pool: PostgresClient
    private let started = Gate()
    private let url: PostgresURL
    let poolMode: DatabasePoolMode
    let pooler = TransactionPoolerDetector()
    /// The events of the changes this store commits, and those other instances announce.
    public let events = TaskEventBus()
    /// Whether this store's changes are announced to other instances now.
    let audience: PostgresEventAudience
    /// The logger the store's queries report to.
    let logger: Logger
    /// The deployment's webhook subscriptions, written to the outbox with final states.
    let webhooks: WebhookSubscriptions
    /// The per-type limits every claim honours.
    let limits: TaskLimits

    /// Creates a store from a `postgres://` URL; nothing connects until `run()`.
    ///
    /// The pool's own log of connection attempts stays at `warning` and above unless
    /// `logger` asks for `debug`: while the database is down it would repeat PostgresNIO's
    /// generic line every few seconds, and ``checkReachable()`` says why in one line.
    /// `announcing` says when the store's changes are announced to other instances:
    /// always (one-shot commands, tests) or only while one of them has event clients
    /// (`serve`; see ``PostgresEventAudience``).
    public init(
        url: String, poolMode: DatabasePoolMode = .session, announcing: EventAnnouncement = .always,
        webhooks: WebhookSubscriptions = .none, limits: TaskLimits = .none, logger: Logger
    ) throws(ConfigurationError) {
        self.webhooks = webhooks
        self.limits = limits
        self.url = try PostgresURL(url)
        self.poolMode = poolMode
        self.audience = PostgresEventAudience(policy: announcing)
        var background = logger
        if background.logLevel > .debug { background.logLevel = max(background.logLevel, .warning) }
        self.pool = PostgresClient(configuration: self.url.clientConfiguration, backgroundLogger: background)
        self.logger = logger
    }

    /// The connection pool, once `run()` has started it.
    var client: PostgresClient {
        get async {
            await started.wait()
            return pool
        }
    }

    /// Runs the connection pool (queries wait until this is running) and, for a store
    /// that announces only when listened to, the look-out for listeners.
    public func run() async {
        started.open()
        await withDiscardingTaskGroup { group in
            group.addTask { await self.audience.run(store: self, listens: self.poolMode == .session, logger: self.logger) }
            await runPool()
            group.cancelAll()
        }
    }

    /// How long the pool may take to close at shutdown before the store stops waiting.
    static let poolClosingGrace = Duration.seconds(3)

    /// Runs the pool until it closes, but waits at most ``poolClosingGrace`` for it once
    /// shutdown (graceful, or cancellation) begins: the pool closes only when every lease
    /// is returned, and a lease whose statement was lost with its connection may never be
    /// (shutdown must not hang on it). Unstructured for that reason; it inherits the
    /// graceful shutdown signal, and is cancelled when this task is.
    private func runPool() async {
        let closed = WakeSignal()
        let finished = Atomic(false)
        let running = Task { [pool] in
            await pool.run()
            finished.store(true, ordering: .relaxed)
            closed.signal()
        }
        await withTaskCancellationHandler {
            await cancelWhenGracefulShutdown { await closed.wait(timeout: .seconds(365 * 86_400)) }
        } onCancel: {
            running.cancel()
        }
        // A task of its own, so that a cancelled caller still gives the pool its grace.
        if !finished.load(ordering: .relaxed) { await Task { await closed.wait(timeout: Self.poolClosingGrace) }.value }
        if !finished.load(ordering: .relaxed) {
            logger.warning("the connection pool did not close within its grace period; stopping without it")
            running.cancel()
        }
    }

    public var databaseKind: DatabaseKind { .postgresql }

    public var location: String { url.location }

    /// Opens one connection of its own (not the pool's, which would wait and retry
    /// quietly) so that a failure says why at once.
    public func checkReachable() async throws {
        do {
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(),
                configuration: try url.connectionConfiguration(), id: 0, logger: Self.silent
            ).get()
            try? await connection.close()
        } catch {
            throw DatabaseUnreachableError(location: location, reason: PostgresConnectError.reason(error))
        }
    }

    /// Nothing to close outside `run()`: the pool opens connections only while it runs.
    public func close() async {}

    /// Several servers share a PostgreSQL database by design.
    public func lockForServing() throws {}

    /// For the probing connection, whose failure ``checkReachable()`` reports itself.
    private static let silent = Logger(label: "agent-scheduler.probe", factory: { _ in SwiftLogNoOpLogHandler() })

    public func migrate(modules: [any SchemaModule]) async throws -> [AppliedMigration] {
        let plan = try MigrationPlan(engine: PostgresMigrations.all, modules: modules, database: .postgresql)
        return try await withTransaction { connection in
            try await PostgresMigrator(connection: connection, logger: logger).apply(plan)
        }
    }

    public func run(statements: [String]) async throws {
        try await withTransaction { connection in
            for (index, statement) in statements.enumerated() {
                do {
                    _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).collect()
                } catch {
                    throw SQLScriptError(statement: index + 1, text: statement, error: error)
                }
            }
        }
    }

    /// The LISTEN connection, or `nil` behind a transaction pooler, which cannot carry a
    /// LISTEN: the engine then finds new tasks by polling.
    public func wakeListener(logger: Logger, wake: @escaping @Sendable () -> Void) -> (any Service)? {
        guard poolMode == .session else {
            logger.warning(
                "DATABASE_POOL_MODE=transaction: LISTEN cannot pass the pooler, so new tasks are found by polling (POLLING_INTERVAL_MS)")
            return nil
        }
        return PostgresWakeListener(store: self, logger: logger, wake: wake)
    }

    // MARK: Queries for code that shares this database

    /// Runs one query on a pooled connection, for other modules' PostgreSQL code (such as
    /// the handlers' domain store) that shares this database.
    public func query(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        try await client.query(query, logger: logger)
    }

    /// Runs `body` in a transaction on one pooled connection, committing if it returns.
    public func withTransaction<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending T
    ) async throws -> sending T {
        do {
            return try await client.withTransaction(logger: logger, isolation: isolation, body)
        } catch let error as PostgresTransactionError {
            // What the body threw (a refusal with a message) matters more than the wrapper.
            throw error.closureError ?? error
        }
    }

    // MARK: TaskStore

    public func enqueue(_ task: NewTask, now: Date) async throws -> EnqueueResult {
        let id = UUID()
        return try await events.creating([id]) {
            try await client.withConnection { connection in
                try await PostgresTaskInsert.insert(task, id: id, now: now, origin: announcer, on: connection, logger: logger)
            }
        } created: { result in
            result.created ? [.changed(.created, result.task, at: now)] : []
        }
    }

    public func enqueue(batch tasks: [NewTask], now: Date) async throws -> [EnqueueResult] {
        guard !tasks.isEmpty else { return [] }
        let ids = tasks.map { _ in UUID() }
        return try await events.creating(ids) {
            try await withTransaction { connection in
                try await PostgresTaskInsert.insert(batch: tasks, ids: ids, now: now, origin: announcer, on: connection, logger: logger)
            }
        } created: { results in
            results.filter(\.created).map { .changed(.created, $0.task, at: now) }
        }
    }

    public func release(ids: [UUID], workerID: String, now: Date) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await change(.released, now: now, """
            UPDATE agent_tasks SET status = 'pending', locked_by = NULL, locked_until = NULL, updated_at = \(now)
            WHERE id = ANY(\(ids)) AND status = 'processing' AND locked_by = \(workerID)
            """).count
    }

    public func cancel(id: UUID, now: Date) async throws -> AgentTask {
        var update: PostgresQuery = """
            UPDATE agent_tasks SET status = 'cancelled', updated_at = \(now)
            WHERE id = \(id) AND status = 'pending'
            RETURNING \(unescaped: PostgresTaskRow.columns)
            """
        if let announcer { update = PostgresEventNotice.announce(update, kind: .cancelled, origin: announcer) }
        let cancelled = try await withTransaction { connection -> AgentTask? in
            let rows = try await connection.query(update, logger: logger).collect()
            guard let task = try rows.first.map(PostgresTaskRow.task(from:)) else { return nil }
            try await Self.insert(
                NewWebhookDelivery.deliveries(forCancelled: task, at: now, to: webhooks), on: connection, logger: logger)
            return task
        }
        if let cancelled {
            events.publish([.changed(.cancelled, cancelled, at: now)])
            return cancelled
        }
        if let task = try await change(.cancelRequested, now: now, """
            UPDATE agent_tasks SET cancel_requested_at = \(now), updated_at = \(now)
            WHERE id = \(id) AND status = 'processing' AND cancel_requested_at IS NULL
            """).first {
            return task
        }
        return try await cancelAlreadyRequested(id: id)
    }

    public func cancellationRequests(among ids: [UUID]) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        let rows = try await client.query(
            """
            SELECT id FROM agent_tasks
            WHERE id = ANY(\(ids)) AND status = 'processing' AND cancel_requested_at IS NOT NULL
            """,
            logger: logger
        )
        var requested: Set<UUID> = []
        for try await id in rows.decode(UUID.self) { requested.insert(id) }
        return requested
    }

    public func retry(id: UUID, now: Date) async throws -> AgentTask {
        let changed = try await change(.retried, now: now, """
            UPDATE agent_tasks
            SET status = 'pending', retry_count = 0, scheduled_for = \(now), completed_at = NULL,
                locked_by = NULL, locked_until = NULL, cancel_requested_at = NULL, updated_at = \(now)
            WHERE id = \(id) AND status IN ('failed', 'cancelled')
            """)
        if let task = changed.first { return task }
        throw try await transitionError(id: id, action: "retry")
    }

    public func saveProgress(_ progress: TaskProgress, taskID: UUID, workerID: String) async throws -> Bool {
        try await !change(.progress, now: progress.updatedAt, """
            UPDATE agent_tasks SET progress_json = \(progress.json)::jsonb
            WHERE id = \(taskID) AND status = 'processing' AND locked_by = \(workerID)
            """).isEmpty
    }

    /// The origin this store's statements announce their changes with now, or `nil`
    /// when no other instance listens.
    var announcer: String? { audience.origin(of: events) }

    /// Runs an `UPDATE` of `agent_tasks` (without RETURNING), announcing its `kind`
    /// events when another instance listens (a cancellation request always, since the
    /// instance running the task must hear it), publishes them, and returns the changed
    /// tasks.
    func change(_ kind: TaskEvent.Kind, now: Date, _ update: PostgresQuery) async throws -> [AgentTask] {
        var query = update
        query.sql += " RETURNING \(PostgresTaskRow.columns)"
        if let origin = kind == .cancelRequested ? events.origin : announcer {
            query = PostgresEventNotice.announce(query, kind: kind, origin: origin)
        }
        let tasks = try await client.query(query, logger: logger).collect().map(PostgresTaskRow.task(from:))
        events.publish(tasks.map { .changed(kind, $0, at: now) })
        return tasks
    }

}
