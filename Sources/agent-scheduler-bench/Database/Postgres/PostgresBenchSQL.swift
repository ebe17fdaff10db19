import Foundation
import PostgresNIO
import Scheduler

/// The benchmark's SQL in PostgreSQL. It truncates, so that each workload starts on a
/// table as fresh as the other queues' new databases, not on the dead rows of the last.
struct PostgresBenchSQL: BenchSQL {
    let store: PostgresTaskStore

    func reset() async throws {
        try await store.run(statements: ["TRUNCATE agent_actions_log, agent_tasks"])
    }

    func insertNoops(_ count: Int) async throws {
        _ = try await store.query(
            """
            INSERT INTO agent_tasks (task_type, agent_type, context_json)
            SELECT 'noop', 'bench', '{}'::jsonb FROM generate_series(1, \(count))
            """
        ).collect()
    }

    func insertOne(scheduledFor: Date?) async throws {
        _ = try await store.query(
            """
            INSERT INTO agent_tasks (task_type, agent_type, context_json, scheduled_for)
            VALUES ('noop', 'bench', '{}'::jsonb, COALESCE(\(scheduledFor), now()))
            """
        ).collect()
    }

    func integer(_ sql: String) async throws -> Int {
        for try await value in try await store.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return value }
        return 0
    }

    func attemptsPerWorker() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let rows = try await store.query("SELECT worker_id, count(*) FROM agent_actions_log GROUP BY worker_id")
        for try await (worker, count) in rows.decode((String, Int).self) { counts[worker] = count }
        return counts
    }

    func completedTaskTimes() async throws -> [(created: Date, scheduled: Date, started: Date)] {
        let rows = try await store.query(
            """
            SELECT t.created_at, t.scheduled_for, l.started_at
            FROM agent_tasks t JOIN agent_actions_log l ON l.context_id = t.id
            WHERE t.status = 'completed'
            """)
        var times: [(Date, Date, Date)] = []
        for try await row in rows.decode((Date, Date, Date).self) { times.append(row) }
        return times
    }
}
