import Foundation
import Logging
import PostgresNIO
import Scheduler

/// Inserts a task on a given connection: the store's own enqueue, and services that
/// enqueue inside a transaction of their own (``PostgresTaskStore/enqueue(_:on:now:logger:)``).
enum PostgresTaskInsert {
    /// The origin of notices sent from a caller's transaction, which no store has: every
    /// instance, the caller's own included, takes them as news.
    static let callerOrigin = "-"

    /// Inserts `task`, or returns the task that holds its idempotency key already; with
    /// an `origin`, the insert also sends its `task.created` notice (``PostgresEventNotice``).
    static func insert(
        _ task: NewTask, id: UUID = UUID(), now: Date, origin: String?, on connection: PostgresConnection, logger: Logger
    ) async throws -> EnqueueResult {
        let scheduledFor = task.scheduledFor ?? now
        let insert: PostgresQuery =
            """
            INSERT INTO agent_tasks (
                id, task_type, agent_type, user_id, context_id, context_type, scheduled_for, priority,
                max_retries, context_json, created_by, idempotency_key, created_at, updated_at, callback_url)
            VALUES (
                \(id), \(task.taskType), \(task.agentType), \(task.userID), \(task.contextID), \(task.contextType),
                \(scheduledFor), \(task.priority.rawValue), \(task.maxRetries), \(task.contextJSON)::jsonb,
                \(task.createdBy), \(task.idempotencyKey), \(now), \(now), \(task.callbackURL))
            ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            RETURNING \(unescaped: PostgresTaskRow.columns)
            """
        let inserted = try await connection.query(announced(insert, origin: origin), logger: logger).collect()
        if let row = inserted.first {
            return EnqueueResult(task: try PostgresTaskRow.task(from: row), created: true)
        }
        guard let key = task.idempotencyKey,
            let existing = try await connection.query(
                "SELECT \(unescaped: PostgresTaskRow.columns) FROM agent_tasks WHERE idempotency_key = \(key)",
                logger: logger
            ).collect().first
        else {
            throw SchedulerError.invalidInput(field: "idempotency_key", reason: "the conflicting task disappeared; try again")
        }
        return EnqueueResult(task: try PostgresTaskRow.task(from: existing), created: false)
    }

    /// Inserts a batch in one statement, then reads back in a second the tasks that hold
    /// the idempotency keys the insert skipped. Runs inside the caller's transaction.
    ///
    /// PostgresNIO binds no arrays of optionals, so absent values travel as '' and NULLIF
    /// turns them back into NULL; the ids are made here so results map back to the input.
    static func insert(
        batch tasks: [NewTask], ids: [UUID], now: Date, origin: String?, on connection: PostgresConnection, logger: Logger
    ) async throws -> [EnqueueResult] {
        let insert: PostgresQuery =
            """
            INSERT INTO agent_tasks (
                id, task_type, agent_type, user_id, context_id, context_type, scheduled_for, priority,
                max_retries, context_json, created_by, idempotency_key, created_at, updated_at, callback_url)
            SELECT i.id, i.task_type, i.agent_type, NULLIF(i.user_id, '')::uuid, NULLIF(i.context_id, '')::uuid,
                NULLIF(i.context_type, ''), i.scheduled_for, i.priority, i.max_retries, i.context_json::jsonb,
                NULLIF(i.created_by, ''), NULLIF(i.idempotency_key, ''), \(now), \(now), NULLIF(i.callback_url, '')
            FROM unnest(
                \(ids)::uuid[], \(tasks.map(\.taskType))::text[], \(tasks.map(\.agentType))::text[],
                \(tasks.map { $0.userID?.lowercasedString ?? "" })::text[],
                \(tasks.map { $0.contextID?.lowercasedString ?? "" })::text[],
                \(tasks.map { $0.contextType ?? "" })::text[], \(tasks.map { $0.scheduledFor ?? now })::timestamptz[],
                \(tasks.map(\.priority.rawValue))::text[], \(tasks.map(\.maxRetries))::int[],
                \(tasks.map(\.contextJSON))::text[], \(tasks.map { $0.createdBy ?? "" })::text[],
                \(tasks.map { $0.idempotencyKey ?? "" })::text[], \(tasks.map { $0.callbackURL ?? "" })::text[])
                WITH ORDINALITY AS i(id, task_type, agent_type, user_id, context_id, context_type, scheduled_for,
                    priority, max_retries, context_json, created_by, idempotency_key, callback_url, n)
            ORDER BY i.n
            ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            RETURNING \(unescaped: PostgresTaskRow.columns)
            """
        let rows = try await connection.query(announced(insert, origin: origin), logger: logger).collect()
        var created: [UUID: AgentTask] = [:]
        for row in rows {
            let task = try PostgresTaskRow.task(from: row)
            created[task.id] = task
        }
        let skippedKeys = zip(ids, tasks).compactMap { id, task in created[id] == nil ? task.idempotencyKey : nil }
        var existing: [String: AgentTask] = [:]
        if !skippedKeys.isEmpty {
            let rows = try await connection.query(
                "SELECT \(unescaped: PostgresTaskRow.columns) FROM agent_tasks WHERE idempotency_key = ANY(\(skippedKeys))",
                logger: logger
            ).collect()
            for row in rows {
                let task = try PostgresTaskRow.task(from: row)
                if let key = task.idempotencyKey { existing[key] = task }
            }
        }
        return try zip(ids, tasks).map { id, task in
            if let new = created[id] { return EnqueueResult(task: new, created: true) }
            guard let key = task.idempotencyKey, let old = existing[key] else {
                throw SchedulerError.invalidInput(field: "idempotency_key", reason: "the conflicting task disappeared; try again")
            }
            return EnqueueResult(task: old, created: false)
        }
    }

    /// `insert`, sending its `task.created` notices when there is an `origin`.
    private static func announced(_ insert: PostgresQuery, origin: String?) -> PostgresQuery {
        origin.map { PostgresEventNotice.announce(insert, kind: .created, origin: $0) } ?? insert
    }
}
