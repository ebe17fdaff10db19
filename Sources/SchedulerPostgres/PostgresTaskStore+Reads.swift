import Foundation
import Logging
import PostgresNIO
import Scheduler

/// Reading tasks back: by id, by filter, counted by status, their action log, and the
/// next due time.
extension PostgresTaskStore {
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
