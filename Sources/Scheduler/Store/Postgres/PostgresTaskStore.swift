import Foundation
import Logging
import NIOPosix
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The PostgreSQL ``TaskStore``: many scheduler instances share one database, and
/// `FOR UPDATE SKIP LOCKED` claims keep any two of them from running the same task.
public final class PostgresTaskStore: TaskStore {
    private let pool: PostgresClient
    private let started = Gate()
    private let url: PostgresURL
    private let poolMode: DatabasePoolMode
    private let pooler = TransactionPoolerDetector()
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

    public func accept<Visitor: TaskStoreVisitor>(_ visitor: Visitor) -> Visitor.Output {
        visitor.visit(self)
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

    public func claim(
        taskTypes: [String], limit: Int, workerID: String, leaseUntil: Date, now: Date
    ) async throws -> [AgentTask] {
        guard limit > 0, !taskTypes.isEmpty else { return [] }
        var tasks: [AgentTask] = []
        for type in taskTypes where tasks.count < limit {
            guard let typeLimit = limits[type] else { continue }
            tasks += try await claimLimited(
                type, typeLimit, limit: limit - tasks.count, workerID: workerID, leaseUntil: leaseUntil, now: now)
        }
        let unlimited = taskTypes.filter { limits[$0] == nil }
        if !unlimited.isEmpty, tasks.count < limit {
            tasks += try await claimUnlimited(
                unlimited, limit: limit - tasks.count, workerID: workerID, leaseUntil: leaseUntil, now: now)
        }
        return started(tasks, at: now)
    }

    /// The claim of types without limits: one prepared statement, the hot path.
    private func claimUnlimited(
        _ taskTypes: [String], limit: Int, workerID: String, leaseUntil: Date, now: Date
    ) async throws -> [AgentTask] {
        let statement = PostgresClaimStatement(
            workerID: workerID, leaseUntil: leaseUntil, now: now, taskTypes: taskTypes, limit: limit)
        let announced = announcer.map { PostgresAnnouncedClaimStatement(claim: statement, origin: $0) }
        var tasks: [AgentTask] = []
        if poolMode == .session, !pooler.detected {
            do {
                if let announced {
                    for try await task in try await client.execute(announced, logger: logger) { tasks.append(task) }
                } else {
                    for try await task in try await client.execute(statement, logger: logger) { tasks.append(task) }
                }
                return tasks
            } catch let error as PSQLError where pooler.reveals(error) {
                logger.warning("""
                    a prepared statement vanished between statements: a transaction-mode pooler stands in the way; \
                    claiming without prepared statements from now on (set DATABASE_POOL_MODE=transaction to say so, \
                    which also polls every second, since LISTEN cannot pass such a pooler)
                    """)
            }
        }
        // A named prepared statement would outlive the pooler's transaction; the unnamed
        // one PostgresNIO sends with each query travels with it.
        let query = try announced.map { PostgresQuery(unsafeSQL: PostgresAnnouncedClaimStatement.sql, binds: try $0.makeBindings()) }
            ?? PostgresQuery(unsafeSQL: PostgresClaimStatement.sql, binds: try statement.makeBindings())
        for try await row in try await client.query(query, logger: logger) { tasks.append(try PostgresTaskRow.task(from: row)) }
        return tasks
    }

    /// The claim of one limited type (``PostgresFlowControlSQL/limitedClaimFunction``),
    /// sent unprepared: it runs only for the few limited types.
    private func claimLimited(
        _ taskType: String, _ typeLimit: TaskLimit, limit: Int, workerID: String, leaseUntil: Date, now: Date
    ) async throws -> [AgentTask] {
        var binds = PostgresBindings(capacity: 9)
        binds.append(workerID)
        binds.append(leaseUntil)
        binds.append(now)
        binds.append(taskType)
        binds.append(limit)
        binds.append(typeLimit.concurrency)
        binds.append(typeLimit.rate?.starts)
        binds.append(typeLimit.rate?.period ?? 0)
        var query = PostgresQuery(unsafeSQL: PostgresFlowControlSQL.limitedClaim, binds: binds)
        if let announcer { query = PostgresEventNotice.announce(query, kind: .started, origin: announcer) }
        var tasks: [AgentTask] = []
        for try await row in try await client.query(query, logger: logger) { tasks.append(try PostgresTaskRow.task(from: row)) }
        return tasks
    }

    /// Publishes the claimed tasks' `task.started` and returns them in claim order.
    private func started(_ tasks: [AgentTask], at now: Date) -> [AgentTask] {
        let ordered = tasks.sorted(by: AgentTask.claimOrder)
        events.publish(ordered.map { .changed(.started, $0, at: now) })
        return ordered
    }

    public func claim(id: UUID, workerID: String, leaseUntil: Date, now: Date) async throws -> AgentTask? {
        try await change(.started, now: now, """
            UPDATE agent_tasks
            SET status = 'processing', locked_by = \(workerID), locked_until = \(leaseUntil),
                last_attempted_at = \(now), updated_at = \(now)
            WHERE id = \(id) AND status = 'pending'
            """).first
    }

    /// The notices of the rows of `changed` (see ``PostgresEventNotice``) for statements
    /// that change tasks one way: the attempt is the one running for a start or progress,
    /// the last one finished otherwise.
    static func notices(_ kind: TaskEvent.Kind) -> String {
        let running = kind == .started || kind == .progress
        return PostgresEventNotice.notices(
            kind: "'\(kind.rawValue)'",
            attempt: kind == .created ? "NULL::int" : (running ? "c.attempts + 1" : "c.attempts"),
            worker: running ? "c.locked_by" : "NULL::text",
            from: "changed AS c")
    }

    public func finish(_ records: [AttemptRecord]) async throws -> Set<UUID> {
        guard !records.isEmpty else { return [] }
        let applied: [AttemptRecord]
        if records.contains(where: { webhooks.wants($0.task) }) {
            // The webhooks go in the transaction of the states they announce.
            applied = try await withTransaction { connection in
                let applied = try await Self.apply(records, rescue: false, origin: announcer, on: connection, logger: logger)
                    .applied(records)
                try await Self.insert(NewWebhookDelivery.deliveries(for: applied, to: webhooks), on: connection, logger: logger)
                return applied
            }
        } else {
            applied = try await client.withConnection { connection in
                try await Self.apply(records, rescue: false, origin: announcer, on: connection, logger: logger).applied(records)
            }
        }
        events.publish(applied.flatMap { TaskEvent.finished($0, rescued: false) })
        try await announceFreedLimits(applied)
        return Set(applied.map(\.task.id))
    }

    /// A finished task of a type with a concurrency limit frees a slot that other
    /// instances may be waiting for: they are woken (the NOTIFY an insert sends) instead
    /// of finding it at their next poll. Costs nothing for types without limits.
    private func announceFreedLimits(_ applied: [AttemptRecord]) async throws {
        let freed = Set(applied.map(\.task.taskType).filter { limits[$0]?.concurrency != nil })
        guard !freed.isEmpty else { return }
        _ = try await client.query(
            "SELECT pg_notify('\(unescaped: PostgresWakeListener.channel)', t) FROM unnest(\(Array(freed))::text[]) AS t",
            logger: logger
        ).collect()
    }

    /// Writes a batch of attempt results and their action-log rows in one statement (so
    /// one round trip and one commit for the batch), each applied only while its worker
    /// still holds the task for the same attempt, with the notices of their events
    /// (`task.rescued` for a `rescue`); a task whose cancellation was requested ends
    /// `cancelled` whatever its attempt returned.
    ///
    /// PostgresNIO binds no arrays of optionals, so absent values travel as '' or the
    /// epoch and NULLIF turns them back into NULL. `bench/floor/results.sql` repeats this
    /// statement for pgbench (the database's floor): change both together.
    static func apply(
        _ records: [AttemptRecord], rescue: Bool, origin: String?, on connection: PostgresConnection, logger: Logger
    ) async throws -> AppliedAttempts {
        let changes = records.map(AttemptChange.init)
        let none = Date(timeIntervalSince1970: 0)
        let ids = records.map(\.task.id)
        let workers = records.map(\.workerID)
        let retryCounts = records.map(\.task.retryCount)
        let statuses = changes.map(\.status.rawValue)
        let increments = changes.map(\.retryIncrement)
        let retryAts = changes.map { $0.retryAt ?? none }
        let results = changes.map { $0.resultJSON ?? "" }
        let completedAts = changes.map { $0.completedAt ?? none }
        let errorLines = changes.map { $0.errorLine ?? "" }
        let errors = records.map { $0.outcome.error ?? "" }
        let latencies = records.map(\.latencyMs)
        let attempts = records.map(\.task.attempt)
        let startedAts = records.map(\.startedAt)
        let finishedAts = records.map(\.finishedAt)
        let progresses = records.map { $0.progressJSON ?? "" }
        let outcomes = records.map(\.outcome.word)
        let waits = records.map(\.waitMs)
        let kind = rescue
            ? "'\(TaskEvent.Kind.rescued.rawValue)'"
            : """
            CASE c.status WHEN 'completed' THEN '\(TaskEvent.Kind.completed.rawValue)'
                WHEN 'failed' THEN '\(TaskEvent.Kind.failed.rawValue)'
                WHEN 'cancelled' THEN '\(TaskEvent.Kind.cancelled.rawValue)' ELSE '\(TaskEvent.Kind.retryScheduled.rawValue)' END
            """
        var query: PostgresQuery =
            """
            WITH input AS (
                SELECT i.id, i.worker, i.retry_count, i.status, i.increment,
                       NULLIF(i.retry_at, 'epoch'::timestamptz) AS retry_at, NULLIF(i.result, '')::jsonb AS result,
                       NULLIF(i.completed_at, 'epoch'::timestamptz) AS completed_at,
                       NULLIF(i.error_line, '') AS error_line, NULLIF(i.error, '') AS error,
                       i.latency, i.attempt, i.started_at, i.finished_at, NULLIF(i.progress, '')::jsonb AS progress,
                       i.outcome, i.wait
                FROM unnest(\(ids)::uuid[], \(workers)::text[], \(retryCounts)::int[], \(statuses)::text[],
                            \(increments)::int[], \(retryAts)::timestamptz[], \(results)::text[],
                            \(completedAts)::timestamptz[], \(errorLines)::text[], \(errors)::text[],
                            \(latencies)::int[], \(attempts)::int[], \(startedAts)::timestamptz[],
                            \(finishedAts)::timestamptz[], \(progresses)::text[], \(outcomes)::text[], \(waits)::int8[])
                    AS i(id, worker, retry_count, status, increment, retry_at, result, completed_at, error_line,
                         error, latency, attempt, started_at, finished_at, progress, outcome, wait)
            ),
            updated AS (
                UPDATE agent_tasks AS t
                SET status = CASE WHEN t.cancel_requested_at IS NULL THEN i.status ELSE 'cancelled' END,
                    retry_count = t.retry_count + CASE WHEN t.cancel_requested_at IS NULL THEN i.increment ELSE 0 END,
                    attempts = t.attempts + 1,
                    scheduled_for = CASE WHEN t.cancel_requested_at IS NULL THEN COALESCE(i.retry_at, t.scheduled_for)
                        ELSE t.scheduled_for END,
                    result_json = CASE WHEN t.cancel_requested_at IS NULL THEN COALESCE(i.result, t.result_json)
                        ELSE t.result_json END,
                    completed_at = CASE WHEN t.cancel_requested_at IS NULL THEN i.completed_at END,
                    error_log = CASE
                        WHEN i.error_line IS NULL THEN t.error_log
                        WHEN t.error_log IS NULL OR t.error_log = '' THEN i.error_line
                        ELSE t.error_log || E'\\n' || i.error_line END,
                    progress_json = COALESCE(i.progress, t.progress_json),
                    locked_by = NULL, locked_until = NULL, updated_at = i.finished_at
                FROM input AS i
                WHERE t.id = ANY(\(ids)::uuid[]) AND t.id = i.id
                  AND t.status = 'processing' AND t.locked_by = i.worker AND t.retry_count = i.retry_count
                RETURNING t.id, t.user_id, t.task_type, t.context_json, t.status, t.attempts
            )
            """
        if let origin {
            let notices = PostgresEventNotice.notices(
                kind: kind, attempt: "c.attempts", worker: "i.worker", from: "updated AS c JOIN input AS i ON i.id = c.id")
            query.binds.append(origin)
            query.sql += """
                , notified AS (
                    SELECT pg_notify('\(PostgresEventNotice.channel)', $\(query.binds.count)::text || \(notices))
                """
        }
        query.sql += """

            INSERT INTO agent_actions_log (
                agent_type, action_type, user_id, context_id, context_type, latency_ms,
                input_data, output_data, error, attempt, worker_id, started_at, created_at, outcome, wait_ms)
            SELECT 'task_processor', 'process_' || u.task_type, u.user_id, u.id, 'agent_task', i.latency,
                u.context_json,
                CASE WHEN u.status = 'cancelled' THEN NULL ELSE i.result END,
                CASE WHEN u.status = 'cancelled' THEN COALESCE(i.error, '\(AttemptRecord.cancelReason)') ELSE i.error END,
                i.attempt, i.worker, i.started_at, i.finished_at,
                CASE WHEN u.status = 'cancelled' THEN 'cancelled' ELSE i.outcome END, i.wait
            FROM updated AS u JOIN input AS i ON i.id = u.id
            WHERE \(origin == nil ? "true" : PostgresEventNotice.sentFirst)
            RETURNING context_id, outcome
            """
        let rows = try await connection.query(query, logger: logger)
        var applied = AppliedAttempts()
        for try await (id, outcome) in rows.decode((UUID, String).self) {
            applied.ids.insert(id)
            if outcome == TaskStatus.cancelled.rawValue { applied.cancelled.insert(id) }
        }
        return applied
    }

    public func extendLeases(_ attempts: [UUID: Int], workerID: String, until: Date) async throws -> Set<UUID> {
        guard !attempts.isEmpty else { return [] }
        let ids = Array(attempts.keys)
        let numbers = ids.map { attempts[$0] ?? 0 }
        let rows = try await client.query(
            """
            UPDATE agent_tasks AS t SET locked_until = \(until)
            FROM unnest(\(ids)::uuid[], \(numbers)::int[]) AS held(id, attempt)
            WHERE t.id = held.id AND t.attempts + 1 = held.attempt AND t.status = 'processing'
              AND t.locked_by = \(workerID)
            RETURNING t.id
            """,
            logger: logger
        )
        var held: Set<UUID> = []
        for try await id in rows.decode(UUID.self) { held.insert(id) }
        return held
    }

    public func rescueExpiredLeases(now: Date, policy: RetryPolicy, limit: Int) async throws -> [UUID] {
        let rescued = try await withTransaction { connection -> [AttemptRecord] in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: PostgresTaskRow.columns) FROM agent_tasks
                WHERE status = 'processing' AND locked_until < \(now)
                ORDER BY locked_until
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
                """,
                logger: logger
            ).collect()
            let records = try rows.map { LeaseRescue.record(for: try PostgresTaskRow.task(from: $0), now: now, policy: policy) }
            guard !records.isEmpty else { return [] }
            let rescued = try await Self.apply(records, rescue: true, origin: announcer, on: connection, logger: logger)
                .applied(records)
            try await Self.insert(NewWebhookDelivery.deliveries(for: rescued, to: webhooks), on: connection, logger: logger)
            return rescued
        }
        events.publish(rescued.flatMap { TaskEvent.finished($0, rescued: true) })
        return rescued.map(\.task.id)
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
    private var announcer: String? { audience.origin(of: events) }

    /// Runs an `UPDATE` of `agent_tasks` (without RETURNING), announcing its `kind`
    /// events when another instance listens (a cancellation request always, since the
    /// instance running the task must hear it), publishes them, and returns the changed
    /// tasks.
    private func change(_ kind: TaskEvent.Kind, now: Date, _ update: PostgresQuery) async throws -> [AgentTask] {
        var query = update
        query.sql += " RETURNING \(PostgresTaskRow.columns)"
        if let origin = kind == .cancelRequested ? events.origin : announcer {
            query = PostgresEventNotice.announce(query, kind: kind, origin: origin)
        }
        let tasks = try await client.query(query, logger: logger).collect().map(PostgresTaskRow.task(from:))
        events.publish(tasks.map { .changed(kind, $0, at: now) })
        return tasks
    }

    public func tasks(ids: [UUID]) async throws -> [AgentTask] {
        guard !ids.isEmpty else { return [] }
        return try await client.query(
            "SELECT \(unescaped: PostgresTaskRow.columns) FROM agent_tasks WHERE id = ANY(\(ids))",
            logger: logger
        ).collect().map(PostgresTaskRow.task(from:))
    }

    public func task(id: UUID) async throws -> AgentTask? {
        try await client.query(
            "SELECT \(unescaped: PostgresTaskRow.columns) FROM agent_tasks WHERE id = \(id)",
            logger: logger
        ).collect().first.map(PostgresTaskRow.task(from:))
    }

    /// Only the filter's present conditions reach the SQL (each a bound parameter), so
    /// the planner can pick the index a condition has: `user_id`'s, the idempotency key's,
    /// the failed/cancelled one's, or `created_at`'s for the order.
    public func tasks(matching filter: TaskFilter) async throws -> [AgentTask] {
        var conditions: [String] = []
        var binds = PostgresBindings()
        func add<Value: PostgresDynamicTypeEncodable>(_ value: Value, _ condition: (String) -> String) {
            binds.append(value, context: .default)
            conditions.append(condition("$\(binds.count)"))
        }
        if let status = filter.status { add(status.rawValue) { "status = \($0)" } }
        if let taskType = filter.taskType { add(taskType) { "task_type = \($0)" } }
        if let userID = filter.userID { add(userID) { "user_id = \($0)" } }
        if let key = filter.idempotencyKey { add(key) { "idempotency_key = \($0)" } }
        if let since = filter.createdAfter { add(since) { "created_at >= \($0)" } }
        if let after = filter.after { add(after) { "(created_at, id) < (SELECT created_at, id FROM agent_tasks WHERE id = \($0))" } }
        binds.append(max(0, filter.limit), context: .default)
        let sql = """
            SELECT \(PostgresTaskRow.columns) FROM agent_tasks
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY created_at DESC, id DESC
            LIMIT $\(binds.count)
            """
        return try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).collect()
            .map(PostgresTaskRow.task(from:))
    }

    public func counts(registeredTypes: [String], limit: Int) async throws -> TaskCounts {
        let rows = try await client.query(
            """
            SELECT status, task_type, count(*) FROM (
                SELECT status, task_type FROM agent_tasks WHERE status = 'pending' LIMIT \(limit)) AS pending
            GROUP BY status, task_type
            UNION ALL
            SELECT status, task_type, count(*) FROM (
                SELECT status, task_type FROM agent_tasks WHERE status = 'processing' LIMIT \(limit)) AS processing
            GROUP BY status, task_type
            """,
            logger: logger
        )
        var groups: [(status: String, type: String, count: Int)] = []
        for try await (status, type, count) in rows.decode((String, String, Int).self) {
            groups.append((status, type, count))
        }
        return TaskCounts(groups: groups, registeredTypes: registeredTypes, limit: limit)
    }

    public func actionLog(taskID: UUID) async throws -> [ActionLogEntry] {
        try await client.query(
            """
            SELECT \(unescaped: PostgresTaskRow.actionLogColumns)
            FROM agent_actions_log WHERE context_id = \(taskID) ORDER BY id
            """,
            logger: logger
        ).collect().map(PostgresTaskRow.actionLogEntry(from:))
    }

    /// Looks up the earliest due task of each priority rank in the claim index (one
    /// short index scan each), so the answer costs the same however many tasks wait for
    /// later, where `min(scheduled_for)` would scan every pending row each time the
    /// poller goes idle.
    public func nextDueDate(taskTypes: [String]) async throws -> Date? {
        guard !taskTypes.isEmpty else { return nil }
        let ranks = TaskPriority.ranks
        let rows = try await client.query(
            """
            SELECT min(n.next) FROM unnest(\(ranks)::smallint[]) AS r(rank),
            LATERAL (
                SELECT scheduled_for AS next FROM agent_tasks
                WHERE status = 'pending' AND priority_rank = r.rank AND task_type = ANY(ARRAY(
                    SELECT t FROM unnest(\(taskTypes)::text[]) AS t
                    WHERE NOT EXISTS (SELECT 1 FROM agent_task_type_pauses AS p WHERE p.task_type = t)))
                ORDER BY scheduled_for
                LIMIT 1) AS n
            """,
            logger: logger
        )
        for try await date in rows.decode(Date?.self) { return date }
        return nil
    }
}
