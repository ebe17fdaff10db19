import Foundation
import Scheduler
import SQLiteNIO

/// The benchmark's SQL in SQLite.
struct SQLiteBenchSQL: BenchSQL {
    let store: SQLiteTaskStore

    func reset() async throws {
        try await store.run(statements: ["DELETE FROM agent_actions_log", "DELETE FROM agent_tasks"])
    }

    func insertNoops(_ count: Int) async throws {
        _ = try await store.query(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
            INSERT INTO agent_tasks (task_type, agent_type, context_json) SELECT 'noop', 'bench', '{}' FROM n
            """,
            [.integer(count)]
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

    func completedTaskTimes() async throws -> [(created: Date, scheduled: Date, started: Date)] {
        try await store.query(
            """
            SELECT t.created_at, t.scheduled_for, l.started_at
            FROM agent_tasks t JOIN agent_actions_log l ON l.context_id = t.id
            WHERE t.status = 'completed'
            """
        ).map { row in
            (try SQLiteValue.date(row, "created_at"), try SQLiteValue.date(row, "scheduled_for"),
             try SQLiteValue.date(row, "started_at"))
        }
    }
}
