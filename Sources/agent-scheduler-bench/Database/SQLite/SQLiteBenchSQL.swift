import Foundation
import SQLiteNIO
import Scheduler
import SchedulerSQLite

/// The benchmark's SQL in SQLite.
struct SQLiteBenchSQL: BenchSQL {
    let store: SQLiteTaskStore

    func reset() async throws {
        try await store.run(statements: ["DELETE FROM agent_actions_log", "DELETE FROM agent_tasks"])
    }

    func insertNoops(_ count: Int, dueAt: Date?) async throws {
        _ = try await store.query(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
            INSERT INTO agent_tasks (task_type, agent_type, context_json, scheduled_for)
            SELECT 'noop', 'bench', '{}', COALESCE(?2, \(SQLiteMigrations.now)) FROM n
            """,
            [.integer(count), SQLiteValue.bind(dueAt)]
        )
    }

    /// Inserts through a connection of its own, as another program writing to the file
    /// would, so the engine learns of the task the way it learns of theirs.
    func insertOne(scheduledFor: Date?) async throws {
        let connection = try await SQLiteConnection.open(storage: .file(path: store.path))
        do {
            _ = try await connection.query("PRAGMA busy_timeout = 5000", [])
            _ = try await connection.query(
                """
                INSERT INTO agent_tasks (task_type, agent_type, context_json, scheduled_for)
                VALUES ('noop', 'bench', '{}', COALESCE(?1, \(SQLiteMigrations.now)))
                """,
                [SQLiteValue.bind(scheduledFor)]
            )
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    func fillHistory(tasks: Int, recent: Int, now: Date) async throws {
        let at = "strftime('%Y-%m-%dT%H:%M:%fZ', ?3, '-' || s.ago || ' seconds')"
        try await store.transaction { connection in
            _ = try await connection.rows(
                """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1),
                s AS (SELECT i, CASE WHEN i <= ?2 THEN i * 3600.0 / max(?2, 1)
                                     ELSE 3600 + (i - ?2) * 2592000.0 / max(?1 - ?2, 1) END AS ago FROM n)
                INSERT INTO agent_tasks (
                    id, task_type, agent_type, status, scheduled_for, created_at, updated_at, completed_at, attempts,
                    context_json, result_json, error_log, user_id)
                SELECT \(SQLiteMigrations.newUUID),
                       CASE i % 4 WHEN 0 THEN 'noop' WHEN 1 THEN 'probe' WHEN 2 THEN 'research_solution'
                                  ELSE 'schedule_followup' END, 'bench-history',
                       CASE WHEN i % 50 = 0 THEN 'failed' ELSE 'completed' END, \(at), \(at), \(at),
                       CASE WHEN i % 50 = 0 THEN NULL ELSE \(at) END, 1, '{}',
                       CASE WHEN i % 50 = 0 THEN NULL ELSE '{}' END, CASE WHEN i % 50 = 0 THEN 'boom' END,
                       printf('00000000-0000-4000-8000-%012x', i % \(BenchDatabase.historyUsers))
                FROM s ORDER BY s.ago DESC
                """,
                [.integer(tasks), .integer(recent), .text(Timestamp.string(from: now))]
            )
            _ = try await connection.rows(
                """
                INSERT INTO agent_actions_log (
                    agent_type, action_type, context_id, latency_ms, attempt, worker_id, started_at, created_at,
                    outcome, wait_ms, error)
                SELECT 'task_processor', 'process_' || task_type, id, 5, 1, 'bench-' || (rowid % 4), created_at,
                       created_at, CASE status WHEN 'failed' THEN 'failed' ELSE 'completed' END, 10, error_log
                FROM agent_tasks ORDER BY created_at
                """
            )
        }
        try await analyze()
    }

    func analyze() async throws {
        _ = try await store.query("ANALYZE")
    }

    func integer(_ sql: String) async throws -> Int {
        try await store.query(sql).first.flatMap { $0.columns.first?.data.integer }.map { Int($0) } ?? 0
    }

    func attemptsPerWorker() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await store.query("SELECT worker_id, count(*) AS n FROM agent_actions_log GROUP BY worker_id") {
            counts[try SQLiteValue.string(row, "worker_id")] = try SQLiteValue.int(row, "n")
        }
        return counts
    }

    func completedTaskTimes() async throws -> [(created: Date, scheduled: Date, started: Date, completed: Date)] {
        try await store.query(
            """
            SELECT t.created_at, t.scheduled_for, l.started_at, t.completed_at
            FROM agent_tasks t JOIN agent_actions_log l ON l.context_id = t.id
            WHERE t.status = 'completed'
            """
        ).map { row in
            (try SQLiteValue.date(row, "created_at"), try SQLiteValue.date(row, "scheduled_for"),
             try SQLiteValue.date(row, "started_at"), try SQLiteValue.date(row, "completed_at"))
        }
    }
}
