import Foundation
import Logging
import ServiceLifecycle
import NIOCore
import SQLiteNIO
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

    public func accept<Visitor: TaskStoreVisitor>(_ visitor: Visitor) -> Visitor.Output {
        visitor.visit(self)
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

    public func claim(
        taskTypes: [String], limit: Int, workerID: String, leaseUntil: Date, now: Date
    ) async throws -> [AgentTask] {
        guard limit > 0, !taskTypes.isEmpty else { return [] }
        let limits = limits
        let limited = taskTypes.filter { limits[$0] != nil }
        let tasks: [AgentTask]
        if limited.isEmpty {
            tasks = try await lock.withLock {
                try await Self.claimDue(taskTypes, limit: limit, workerID: workerID, leaseUntil: leaseUntil, now: now, on: connection)
            }
        } else {
            // `dueTasks` leaves paused types out, limited or not.
            tasks = try await transaction { connection in
                var tasks: [AgentTask] = []
                for type in limited where tasks.count < limit {
                    let typeLimit = limits[type] ?? TaskLimit()
                    let allowed = try await Self.allowedStarts(of: type, typeLimit, now: now, on: connection)
                    let claimed = try await Self.claimDue(
                        [type], limit: min(allowed, limit - tasks.count), workerID: workerID, leaseUntil: leaseUntil,
                        now: now, on: connection)
                    if typeLimit.rate != nil {
                        for _ in claimed {
                            _ = try await connection.rows(
                                "INSERT INTO agent_task_starts (task_type, started_at) VALUES (?1, ?2)",
                                [.text(type), SQLiteValue.bind(now)])
                        }
                    }
                    tasks += claimed
                }
                tasks += try await Self.claimDue(
                    taskTypes.filter { limits[$0] == nil }, limit: limit - tasks.count, workerID: workerID,
                    leaseUntil: leaseUntil, now: now, on: connection)
                return tasks
            }
        }
        let ordered = tasks.sorted(by: AgentTask.claimOrder)
        events.publish(ordered.map { .changed(.started, $0, at: now) })
        return ordered
    }

    /// Marks up to `limit` due tasks of `taskTypes` as claimed.
    private static func claimDue(
        _ taskTypes: [String], limit: Int, workerID: String, leaseUntil: Date, now: Date, on connection: SQLiteConnection
    ) async throws -> [AgentTask] {
        guard limit > 0, !taskTypes.isEmpty else { return [] }
        return try await connection.rows(
            """
            UPDATE agent_tasks
            SET status = 'processing', locked_by = ?1, locked_until = ?2, last_attempted_at = ?3, updated_at = ?3
            WHERE id IN (\(Self.dueTasks))
            RETURNING \(SQLiteTaskRow.columns)
            """,
            [
                .text(workerID), SQLiteValue.bind(leaseUntil), SQLiteValue.bind(now),
                SQLiteValue.bindList(taskTypes), SQLiteValue.bind(limit),
            ]
        ).map(SQLiteTaskRow.task(from:))
    }

    /// How many tasks of `type` may start now under its limit: its running tasks and its
    /// starts within the rate's period (older starts are dropped) counted in the claim's
    /// transaction, which SQLite runs alone.
    private static func allowedStarts(
        of type: String, _ typeLimit: TaskLimit, now: Date, on connection: SQLiteConnection
    ) async throws -> Int {
        var allowed = Int.max
        if let concurrency = typeLimit.concurrency {
            let rows = try await connection.rows(
                "SELECT count(*) AS n FROM agent_tasks WHERE status = 'processing' AND task_type = ?1", [.text(type)])
            allowed = concurrency - (try rows.first.map { try SQLiteValue.int($0, "n") } ?? 0)
        }
        if let rate = typeLimit.rate {
            // Claim times may arrive out of order (the poller and a worker's claim): keep a
            // minute past the period, and count this claim's own window.
            _ = try await connection.rows(
                "DELETE FROM agent_task_starts WHERE task_type = ?1 AND started_at <= ?2",
                [.text(type), SQLiteValue.bind(now.addingTimeInterval(-rate.period - 60))])
            let rows = try await connection.rows(
                "SELECT count(*) AS n FROM agent_task_starts WHERE task_type = ?1 AND started_at > ?2",
                [.text(type), SQLiteValue.bind(now.addingTimeInterval(-rate.period))])
            allowed = min(allowed, rate.starts - (try rows.first.map { try SQLiteValue.int($0, "n") } ?? 0))
        }
        return max(0, allowed)
    }

    public func claim(id: UUID, workerID: String, leaseUntil: Date, now: Date) async throws -> AgentTask? {
        try await change(.started, now: now,
            """
            UPDATE agent_tasks
            SET status = 'processing', locked_by = ?1, locked_until = ?2, last_attempted_at = ?3, updated_at = ?3
            WHERE id = ?4 AND status = 'pending'
            """,
            [.text(workerID), SQLiteValue.bind(leaseUntil), SQLiteValue.bind(now), SQLiteValue.bind(id)]
        ).first
    }

    public func finish(_ records: [AttemptRecord]) async throws -> Set<UUID> {
        guard !records.isEmpty else { return [] }
        let webhooks = webhooks
        let applied = try await transaction { connection in
            let applied = try await Self.apply(records, on: connection).applied(records)
            try await Self.insert(NewWebhookDelivery.deliveries(for: applied, to: webhooks), on: connection)
            return applied
        }
        events.publish(applied.flatMap { TaskEvent.finished($0, rescued: false) })
        return Set(applied.map(\.task.id))
    }

    /// The columns of one attempt result, in the order ``attemptValues(_:)`` binds them.
    private static let attemptColumns = [
        "id", "worker", "retry_count", "status", "increment", "retry_at", "result", "completed_at",
        "error_line", "error", "latency", "attempt", "started_at", "finished_at", "progress", "outcome", "wait",
    ]

    /// This connection's own table of the attempt results being written, so that a batch
    /// is parsed once and then read by both the task update and the action-log insert.
    /// It is filled and emptied inside each write's transaction.
    private static let attemptResultsTable =
        "CREATE TEMP TABLE IF NOT EXISTS attempt_results (\(attemptColumns.joined(separator: ", ")))"

    /// An `INSERT` of a batch of attempt results into `attempt_results`, one bound
    /// parameter per value, so SQLite reads them without encoding or parsing JSON.
    /// 500 results (the largest batch) take 7,000 of SQLite's 32,766 parameters.
    private static func attemptValues(_ records: [AttemptRecord]) -> (sql: String, binds: [SQLiteData]) {
        var binds: [SQLiteData] = []
        binds.reserveCapacity(records.count * attemptColumns.count)
        for record in records {
            let change = AttemptChange(record)
            binds += [
                SQLiteValue.bind(record.task.id), .text(record.workerID), SQLiteValue.bind(record.task.retryCount),
                .text(change.status.rawValue), SQLiteValue.bind(change.retryIncrement), SQLiteValue.bind(change.retryAt),
                SQLiteValue.bind(change.resultJSON), SQLiteValue.bind(change.completedAt),
                SQLiteValue.bind(change.errorLine), SQLiteValue.bind(record.outcome.error),
                SQLiteValue.bind(record.latencyMs), SQLiteValue.bind(record.task.attempt),
                SQLiteValue.bind(record.startedAt), SQLiteValue.bind(record.finishedAt),
                SQLiteValue.bind(record.progressJSON), .text(record.outcome.word), SQLiteValue.bind(record.waitMs),
            ]
        }
        let row = "(" + Array(repeating: "?", count: attemptColumns.count).joined(separator: ", ") + ")"
        let sql = "INSERT INTO temp.attempt_results (\(attemptColumns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: records.count).joined(separator: ", ")
        return (sql, binds)
    }

    /// Writes a batch of attempt results: the task updates, then the action-log rows of
    /// those that applied, each applied only while its worker still holds the task for
    /// the same attempt; a task whose cancellation was requested ends `cancelled`
    /// whatever its attempt returned. Runs inside a transaction.
    static func apply(_ records: [AttemptRecord], on connection: SQLiteConnection) async throws -> AppliedAttempts {
        let batch = attemptValues(records)
        _ = try await connection.rows(batch.sql, batch.binds)
        let updated = try await connection.rows(
            """
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
                    ELSE t.error_log || char(10) || i.error_line END,
                progress_json = COALESCE(i.progress, t.progress_json),
                locked_by = NULL, locked_until = NULL, updated_at = i.finished_at
            FROM temp.attempt_results AS i
            WHERE t.id = i.id AND t.status = 'processing' AND t.locked_by = i.worker AND t.retry_count = i.retry_count
            RETURNING id, status
            """
        )
        var applied = AppliedAttempts()
        for row in updated {
            let id = try SQLiteValue.uuid(row, "id")
            applied.ids.insert(id)
            if try SQLiteValue.string(row, "status") == TaskStatus.cancelled.rawValue { applied.cancelled.insert(id) }
        }
        if applied.ids.count < records.count {
            // Only the results that applied get an action-log row.
            _ = try await connection.rows(
                "DELETE FROM temp.attempt_results WHERE id NOT IN (SELECT value FROM json_each(?1))",
                [SQLiteValue.bindList(Array(applied.ids))]
            )
        }
        _ = try await connection.rows(
            """
            INSERT INTO agent_actions_log (
                agent_type, action_type, user_id, context_id, context_type, latency_ms,
                input_data, output_data, error, attempt, worker_id, started_at, created_at, outcome, wait_ms)
            SELECT 'task_processor', 'process_' || t.task_type, t.user_id, t.id, 'agent_task', i.latency,
                t.context_json,
                CASE WHEN t.status = 'cancelled' THEN NULL ELSE i.result END,
                CASE WHEN t.status = 'cancelled' THEN COALESCE(i.error, '\(AttemptRecord.cancelReason)') ELSE i.error END,
                i.attempt, i.worker, i.started_at, i.finished_at,
                CASE WHEN t.status = 'cancelled' THEN 'cancelled' ELSE i.outcome END, i.wait
            FROM temp.attempt_results AS i JOIN agent_tasks AS t ON t.id = i.id
            """
        )
        _ = try await connection.rows("DELETE FROM temp.attempt_results")
        return applied
    }

    public func extendLeases(_ attempts: [UUID: Int], workerID: String, until: Date) async throws -> Set<UUID> {
        guard !attempts.isEmpty else { return [] }
        let held = attempts.map { #"["\#($0.key.lowercasedString)",\#($0.value)]"# }.joined(separator: ",")
        let rows = try await query(
            """
            UPDATE agent_tasks SET locked_until = ?1
            WHERE (id, attempts + 1) IN (
                SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?2))
              AND status = 'processing' AND locked_by = ?3
            RETURNING id
            """,
            [SQLiteValue.bind(until), .text("[\(held)]"), .text(workerID)]
        )
        return Set(try rows.map { try SQLiteValue.uuid($0, "id") })
    }

    public func rescueExpiredLeases(now: Date, policy: RetryPolicy, limit: Int) async throws -> [UUID] {
        let rescued = try await transaction { connection -> [AttemptRecord] in
            let rows = try await connection.rows(
                """
                SELECT \(SQLiteTaskRow.columns) FROM agent_tasks
                WHERE status = 'processing' AND locked_until < ?1
                ORDER BY locked_until LIMIT ?2
                """,
                [SQLiteValue.bind(now), SQLiteValue.bind(limit)]
            )
            let records = try rows.map { LeaseRescue.record(for: try SQLiteTaskRow.task(from: $0), now: now, policy: policy) }
            guard !records.isEmpty else { return [] }
            let rescued = try await Self.apply(records, on: connection).applied(records)
            try await Self.insert(NewWebhookDelivery.deliveries(for: rescued, to: webhooks), on: connection)
            return rescued
        }
        events.publish(rescued.flatMap { TaskEvent.finished($0, rescued: true) })
        return rescued.map(\.task.id)
    }

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
    private func change(_ kind: TaskEvent.Kind, now: Date, _ update: String, _ binds: [SQLiteData]) async throws -> [AgentTask] {
        let tasks = try await query(update + " RETURNING \(SQLiteTaskRow.columns)", binds).map(SQLiteTaskRow.task(from:))
        events.publish(tasks.map { .changed(kind, $0, at: now) })
        return tasks
    }

    public func tasks(ids: [UUID]) async throws -> [AgentTask] {
        guard !ids.isEmpty else { return [] }
        return try await query(
            "SELECT \(SQLiteTaskRow.columns) FROM agent_tasks WHERE id IN (SELECT value FROM json_each(?1))",
            [SQLiteValue.bindList(ids)]
        ).map(SQLiteTaskRow.task(from:))
    }

    public func task(id: UUID) async throws -> AgentTask? {
        try await query(
            "SELECT \(SQLiteTaskRow.columns) FROM agent_tasks WHERE id = ?1",
            [SQLiteValue.bind(id)]
        ).first.map(SQLiteTaskRow.task(from:))
    }

    /// Only the filter's present conditions reach the SQL (each a bound parameter), so
    /// the planner can pick the index a condition has: `user_id`'s, the idempotency key's,
    /// a status's partial index (``listedStatus(_:parameter:)``), or else `created_at`'s,
    /// walked newest first until the page is full.
    public func tasks(matching filter: TaskFilter) async throws -> [AgentTask] {
        let (sql, binds) = Self.listing(filter)
        return try await query(sql, binds).map(SQLiteTaskRow.task(from:))
    }

    /// The statement and binds of ``tasks(matching:)``.
    static func listing(_ filter: TaskFilter) -> (sql: String, binds: [SQLiteData]) {
        var conditions: [String] = []
        var binds: [SQLiteData] = []
        func add(_ value: SQLiteData, _ condition: (String) -> String) {
            binds.append(value)
            conditions.append(condition("?\(binds.count)"))
        }
        if let status = filter.status { add(SQLiteValue.bind(status.rawValue)) { listedStatus(status, parameter: $0) } }
        // `+` keeps the type's few-valued column from the planner, which would otherwise
        // read every row of the type and sort them for a page of 50.
        if let taskType = filter.taskType { add(SQLiteValue.bind(taskType)) { "+task_type = \($0)" } }
        if let userID = filter.userID { add(SQLiteValue.bind(userID)) { "user_id = \($0)" } }
        if let key = filter.idempotencyKey { add(SQLiteValue.bind(key)) { "idempotency_key = \($0)" } }
        if let since = filter.createdAfter { add(SQLiteValue.bind(since)) { "created_at >= \($0)" } }
        if let after = filter.after {
            add(SQLiteValue.bind(after)) { "(created_at, id) < (SELECT created_at, id FROM agent_tasks WHERE id = \($0))" }
        }
        binds.append(SQLiteValue.bind(max(0, filter.limit)))
        let sql = """
            SELECT \(SQLiteTaskRow.columns) FROM agent_tasks
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY created_at DESC, id DESC
            LIMIT ?\(binds.count)
            """
        return (sql, binds)
    }

    /// The condition on `status` that leads SQLite's planner to the right index. Failed
    /// and cancelled tasks, few among many, each have a partial index in list order, which
    /// SQLite uses only when the query repeats its `WHERE` as written. Any other status is
    /// found walking `(created_at, id)` newest first (`+` hides the column from the
    /// planner): completed tasks are most of the table, and pending or running ones are
    /// mostly recent. The status itself is still the bound `parameter`.
    static func listedStatus(_ status: TaskStatus, parameter: String) -> String {
        switch status {
        case .failed, .cancelled: "status = '\(status.rawValue)' AND status = \(parameter)"
        case .pending, .processing, .completed: "+status = \(parameter)"
        }
    }

    public func counts(registeredTypes: [String], limit: Int) async throws -> TaskCounts {
        let rows = try await query(
            """
            SELECT status, task_type, count(*) AS n FROM (
                SELECT status, task_type FROM agent_tasks WHERE status = 'pending' LIMIT ?1)
            GROUP BY status, task_type
            UNION ALL
            SELECT status, task_type, count(*) AS n FROM (
                SELECT status, task_type FROM agent_tasks WHERE status = 'processing' LIMIT ?1)
            GROUP BY status, task_type
            """,
            [SQLiteValue.bind(limit)]
        )
        let groups = try rows.map { row in
            (status: try SQLiteValue.string(row, "status"), type: try SQLiteValue.string(row, "task_type"),
             count: try SQLiteValue.int(row, "n"))
        }
        return TaskCounts(groups: groups, registeredTypes: registeredTypes, limit: limit)
    }

    public func actionLog(taskID: UUID) async throws -> [ActionLogEntry] {
        try await query(
            """
            SELECT id, agent_type, action_type, user_id, context_id, context_type, latency_ms, input_data,
                output_data, error, attempt, worker_id, started_at, created_at
            FROM agent_actions_log WHERE context_id = ?1 ORDER BY id
            """,
            [SQLiteValue.bind(taskID)]
        ).map(SQLiteTaskRow.actionLogEntry(from:))
    }

    /// The earliest `scheduled_for` of a pending task of the types in the JSON array `?1`:
    /// the earliest of each priority rank, found at the start of that rank's range of the
    /// claim index, so the answer costs the same however many tasks wait for later.
    static let earliestDue = """
        SELECT min((
            SELECT scheduled_for FROM agent_tasks
            WHERE status = 'pending' AND priority_rank = r.value
              AND task_type IN (SELECT value FROM json_each(?1))
              AND task_type NOT IN (SELECT task_type FROM agent_task_type_pauses)
            ORDER BY scheduled_for
            LIMIT 1)) AS next
        FROM json_each(?2) AS r
        """

    /// `earliestDue`'s `?2`: every priority rank, as a JSON array.
    private static let ranksJSON = SQLiteData.text("\(TaskPriority.ranks)")

    public func nextDueDate(taskTypes: [String]) async throws -> Date? {
        guard !taskTypes.isEmpty else { return nil }
        let rows = try await query(
            Self.earliestDue, [SQLiteValue.bindList(taskTypes), Self.ranksJSON])
        return try rows.first.flatMap { try SQLiteValue.optionalDate($0, "next") }
    }
}
