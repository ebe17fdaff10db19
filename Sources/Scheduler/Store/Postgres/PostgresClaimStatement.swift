import Foundation
import PostgresNIO

/// The claim, as a statement each connection prepares once: it runs many times a second
/// under load, and a prepared statement skips parsing and planning it every time.
///
/// One statement, so one round trip. It need not wait for the disk: if PostgreSQL loses
/// a claim in a crash, the task is simply claimed again, so the statement turns
/// synchronous_commit off for its own transaction (set_config with is_local, the
/// function form of SET LOCAL). Results and enqueues stay durable. The locked ids are
/// looked up by primary key: a join let the planner hash the whole table, whose
/// completed rows grow without bound. RETURNING gives rows in physical order, not the
/// subquery's, so the caller sorts them.
struct PostgresClaimStatement: PostgresPreparedStatement {
    static let sql = """
        WITH asynchronous AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true))
        UPDATE agent_tasks
        SET status = 'processing', locked_by = $1, locked_until = $2, last_attempted_at = $3, updated_at = $3
        WHERE EXISTS (SELECT FROM asynchronous)
          AND id = ANY(ARRAY(
            SELECT id FROM agent_tasks
            WHERE status = 'pending' AND scheduled_for <= $3 AND task_type = ANY($4)
            ORDER BY priority_rank, scheduled_for
            LIMIT $5
            FOR UPDATE SKIP LOCKED))
        RETURNING \(PostgresTaskRow.columns)
        """

    typealias Row = AgentTask

    var workerID: String
    var leaseUntil: Date
    var now: Date
    var taskTypes: [String]
    var limit: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(workerID)
        bindings.append(leaseUntil)
        bindings.append(now)
        bindings.append(taskTypes)
        bindings.append(limit)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> AgentTask {
        try PostgresTaskRow.task(from: row)
    }
}
