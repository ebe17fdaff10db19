import Foundation
import PostgresNIO
import Scheduler
import SQLiteNIO

/// The plain SQL the benchmark needs, for each database: bulk inserts as another
/// service would make them, counts, and the timings the action log recorded.
struct BenchDatabase: Sendable {
    let store: any TaskStore

    func isEmpty() async throws -> Bool {
        try await count("SELECT count(*) FROM agent_tasks") == 0
    }

    /// Empties both tables. PostgreSQL truncates, so that each workload starts on a
    /// table as fresh as the other queues' new databases, not on the dead rows of the last.
    func reset() async throws {
        let script = store is PostgresTaskStore
            ? "TRUNCATE agent_actions_log, agent_tasks;\n"
            : "DELETE FROM agent_actions_log;\nDELETE FROM agent_tasks;\n"
        try await SQLScript.run(script, on: store)
    }

    /// Inserts `count` pending noop tasks, due now, in one statement.
    func insertNoops(_ count: Int) async throws {
        switch store {
        case let postgres as PostgresTaskStore:
            _ = try await postgres.client.query(
                """
                INSERT INTO agent_tasks (task_type, agent_type, context_json)
                SELECT 'noop', 'bench', '{}'::jsonb FROM generate_series(1, \(count))
                """
            ).collect()
        case let sqlite as SQLiteTaskStore:
            _ = try await sqlite.query(
                """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
                INSERT INTO agent_tasks (task_type, agent_type, context_json) SELECT 'noop', 'bench', '{}' FROM n
                """,
                [.integer(count)]
            )
        default:
            preconditionFailure("no bench support for \(type(of: store))")
        }
    }

    /// Inserts one noop task with plain SQL, due at `scheduledFor` (now when `nil`).
    func insertOne(scheduledFor: Date?) async throws {
        switch store {
        case let postgres as PostgresTaskStore:
            _ = try await postgres.client.query(
                """
                INSERT INTO agent_tasks (task_type, agent_type, context_json, scheduled_for)
                VALUES ('noop', 'bench', '{}'::jsonb, COALESCE(\(scheduledFor), now()))
                """
            ).collect()
        case let sqlite as SQLiteTaskStore:
            _ = try await sqlite.query(
                """
                INSERT INTO agent_tasks (task_type, agent_type, context_json, scheduled_for)
                VALUES ('noop', 'bench', '{}', COALESCE(?1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))
                """,
                [SQLiteValue.bind(scheduledFor)]
            )
        default:
            preconditionFailure("no bench support for \(type(of: store))")
        }
    }

    /// Whether any task is still pending or processing. Cheap enough to ask every 10 ms:
    /// it reads the partial indexes of those two states, where counting the completed
    /// tasks scanned the whole table and took CPU from the engine being measured.
    func unfinishedRemain() async throws -> Bool {
        try await count(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM agent_tasks WHERE status = 'pending')"
                + " OR EXISTS (SELECT 1 FROM agent_tasks WHERE status = 'processing') THEN 1 ELSE 0 END") == 1
    }

    /// Waits until no task is pending or processing, then checks that `expected` tasks
    /// are completed.
    func waitUntilAllCompleted(_ expected: Int) async throws {
        while try await unfinishedRemain() { try await Task.sleep(for: .milliseconds(10)) }
        try await checkAllCompleted(expected)
    }

    /// Throws unless `expected` tasks are completed.
    func checkAllCompleted(_ expected: Int) async throws {
        let completed = try await completedCount()
        guard completed == expected else { throw BenchError.notAllCompleted(expected: expected, completed: completed) }
    }

    func completedCount() async throws -> Int {
        try await count("SELECT count(*) FROM agent_tasks WHERE status = 'completed'")
    }

    func actionLogCount() async throws -> Int {
        try await count("SELECT count(*) FROM agent_actions_log")
    }

    /// Tasks with at least one action-log row.
    func tasksWithAttempts() async throws -> Int {
        try await count("SELECT count(DISTINCT context_id) FROM agent_actions_log")
    }

    /// Action-log rows by `worker_id`.
    func attemptsPerWorker() async throws -> [String: Int] {
        let sql = "SELECT worker_id, count(*) FROM agent_actions_log GROUP BY worker_id"
        var counts: [String: Int] = [:]
        switch store {
        case let postgres as PostgresTaskStore:
            for try await (worker, count) in try await postgres.client.query(PostgresQuery(unsafeSQL: sql)).decode((String, Int).self) {
                counts[worker] = count
            }
        case let sqlite as SQLiteTaskStore:
            for row in try await sqlite.query(sql) {
                let columns = row.columns.map(\.data)
                counts[columns[0].string ?? "?"] = columns[1].integer.map { Int($0) } ?? 0
            }
        default:
            preconditionFailure("no bench support for \(type(of: store))")
        }
        return counts
    }

    /// For every completed task: handler start minus `created_at`, and minus `scheduled_for`, in ms.
    func startDelays() async throws -> [(afterCreated: Double, afterScheduled: Double)] {
        let sql = """
            SELECT t.created_at, t.scheduled_for, l.started_at
            FROM agent_tasks t JOIN agent_actions_log l ON l.context_id = t.id
            WHERE t.status = 'completed'
            """
        var delays: [(Double, Double)] = []
        switch store {
        case let postgres as PostgresTaskStore:
            for try await (created, scheduled, started) in try await postgres.client.query(PostgresQuery(unsafeSQL: sql))
                .decode((Date, Date, Date).self)
            {
                delays.append((started.timeIntervalSince(created) * 1000, started.timeIntervalSince(scheduled) * 1000))
            }
        case let sqlite as SQLiteTaskStore:
            for row in try await sqlite.query(sql) {
                let created = try SQLiteValue.date(row, "created_at")
                let scheduled = try SQLiteValue.date(row, "scheduled_for")
                let started = try SQLiteValue.date(row, "started_at")
                delays.append((started.timeIntervalSince(created) * 1000, started.timeIntervalSince(scheduled) * 1000))
            }
        default:
            preconditionFailure("no bench support for \(type(of: store))")
        }
        return delays
    }

    private func count(_ sql: String) async throws -> Int {
        switch store {
        case let postgres as PostgresTaskStore:
            for try await value in try await postgres.client.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) {
                return value
            }
            return 0
        case let sqlite as SQLiteTaskStore:
            return try await sqlite.query(sql).first.flatMap { $0.columns.first?.data.integer }.map { Int($0) } ?? 0
        default:
            preconditionFailure("no bench support for \(type(of: store))")
        }
    }
}
