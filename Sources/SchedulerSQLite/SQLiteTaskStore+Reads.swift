import Foundation
import Logging
import SQLiteNIO
import Scheduler

/// Reading tasks back: by id, by filter, counted by status, their action log, and the
/// next due time.
extension SQLiteTaskStore {
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
