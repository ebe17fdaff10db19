import Foundation
import PostgresNIO
import Scheduler
import SchedulerPostgres

/// The benchmark's SQL in PostgreSQL. It truncates, so that each workload starts on a
/// table as fresh as the other queues' new databases, not on the dead rows of the last.
struct PostgresBenchSQL: BenchSQL {
    let store: PostgresTaskStore

    func reset() async throws {
        try await store.run(statements: ["TRUNCATE agent_actions_log, agent_tasks"])
    }

    func insertNoops(_ count: Int, dueAt: Date?) async throws {
        _ = try await store.query(
            """
            INSERT INTO agent_tasks (task_type, agent_type, context_json, scheduled_for)
            SELECT 'noop', 'bench', '{}'::jsonb, COALESCE(\(dueAt), now()) FROM generate_series(1, \(count))
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

    func fillHistory(tasks: Int, recent: Int, now: Date) async throws {
        _ = try await store.query(
            """
            INSERT INTO agent_tasks (
                task_type, agent_type, status, scheduled_for, created_at, updated_at, completed_at, attempts,
                context_json, result_json, error_log, user_id)
            SELECT (ARRAY['noop', 'probe', 'research_solution', 'schedule_followup'])[1 + i % 4], 'bench-history',
                   CASE WHEN i % 50 = 0 THEN 'failed' ELSE 'completed' END, t, t, t,
                   CASE WHEN i % 50 = 0 THEN NULL ELSE t END, 1, '{}'::jsonb,
                   CASE WHEN i % 50 = 0 THEN NULL ELSE '{}'::jsonb END, CASE WHEN i % 50 = 0 THEN 'boom' END,
                   ('00000000-0000-4000-8000-' || lpad(to_hex(i % \(BenchDatabase.historyUsers)), 12, '0'))::uuid
            FROM (SELECT i, CASE WHEN i <= \(recent)
                      THEN \(now)::timestamptz - make_interval(secs => i * 3600.0 / greatest(\(recent), 1))
                      ELSE \(now)::timestamptz - interval '1 hour'
                           - make_interval(secs => (i - \(recent)) * 2592000.0 / greatest(\(tasks) - \(recent), 1))
                      END AS t
                  FROM generate_series(1, \(tasks)) AS i) AS s
            ORDER BY s.t
            """
        ).collect()
        _ = try await store.query(
            """
            INSERT INTO agent_actions_log (
                agent_type, action_type, context_id, latency_ms, attempt, worker_id, started_at, created_at,
                outcome, wait_ms, error)
            SELECT 'task_processor', 'process_' || task_type, id, 5, 1, 'bench-' || (abs(hashtext(id::text)) % 4),
                   created_at, created_at, CASE status WHEN 'failed' THEN 'failed' ELSE 'completed' END, 10, error_log
            FROM agent_tasks ORDER BY created_at
            """
        ).collect()
        // As autovacuum would have by then: statistics, and the visibility map that lets
        // the failed/cancelled count read its index alone.
        try await analyze()
    }

    func analyze() async throws {
        for table in ["agent_tasks", "agent_actions_log"] { _ = try await store.query("VACUUM ANALYZE \(unescaped: table)").collect() }
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

    func completedTaskTimes() async throws -> [(created: Date, scheduled: Date, started: Date, completed: Date)] {
        let rows = try await store.query(
            """
            SELECT t.created_at, t.scheduled_for, l.started_at, t.completed_at
            FROM agent_tasks t JOIN agent_actions_log l ON l.context_id = t.id
            WHERE t.status = 'completed'
            """)
        var times: [(Date, Date, Date, Date)] = []
        for try await row in rows.decode((Date, Date, Date, Date).self) { times.append(row) }
        return times
    }
}
