import Foundation
import PostgresNIO
import Scheduler

/// The claim: the function `agent_tasks_claim` (``createFunction``, migration 5; paused
/// types left out since migration 12), called
/// as a statement each connection prepares once.
///
/// One statement, so one round trip. It need not wait for the disk: if PostgreSQL loses
/// a claim in a crash, the task is simply claimed again, so the function turns
/// synchronous_commit off for its own transaction (set_config with is_local, the
/// function form of SET LOCAL). Results and enqueues stay durable. The locked ids are
/// looked up by primary key: a join let the planner hash the whole table, whose
/// completed rows grow without bound. RETURNING gives rows in physical order, not the
/// subquery's, so the caller sorts them.
///
/// The due tasks come from `agent_tasks_claim_idx` one priority rank after another (the
/// ranks 0-3 of ``TaskPriority/rank``), each an index range that ends at the first task
/// not yet due, so a claim never walks past the tasks scheduled for later.
///
/// Why a function: those scans must stay ordered index scans that stop after
/// `max_tasks` rows. When the table's statistics are stale — a new table, or a burst of
/// inserts since the last ANALYZE — the planner guesses that few rows are pending and
/// instead collects every pending row and sorts them, on every claim. The function's
/// `SET enable_sort = off` rules that plan out whatever the statistics say, without
/// touching any other query (BENCHMARKS.md has the figures).
struct PostgresClaimStatement: PostgresPreparedStatement {
    /// Migration 5's definition. A released migration never changes: a different claim
    /// needs a new migration that replaces the function, as migration 12 did to leave out
    /// paused types (``PostgresFlowControlSQL/pausingClaimFunction``).
    static let createFunction = """
        CREATE OR REPLACE FUNCTION agent_tasks_claim(
            worker TEXT, lease_until TIMESTAMPTZ, claim_time TIMESTAMPTZ, task_types TEXT[], max_tasks BIGINT)
        RETURNS SETOF agent_tasks
        LANGUAGE plpgsql VOLATILE
        SET enable_sort = off
        AS $$
        BEGIN
            PERFORM set_config('synchronous_commit', 'off', true);
            RETURN QUERY
            UPDATE agent_tasks
            SET status = 'processing', locked_by = worker, locked_until = lease_until,
                last_attempted_at = claim_time, updated_at = claim_time
            WHERE id = ANY(ARRAY(
                SELECT due.id FROM unnest(ARRAY[0, 1, 2, 3]::smallint[]) AS r(rank)
                CROSS JOIN LATERAL (
                    SELECT id FROM agent_tasks
                    WHERE status = 'pending' AND priority_rank = r.rank AND scheduled_for <= claim_time
                      AND task_type = ANY(task_types)
                    ORDER BY scheduled_for
                    LIMIT max_tasks
                    FOR UPDATE SKIP LOCKED) AS due
                LIMIT max_tasks))
            RETURNING *;
        END
        $$
        """

    static let sql = "SELECT \(PostgresTaskRow.columns) FROM agent_tasks_claim($1, $2, $3, $4, $5)"

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

/// The claim that also sends, in its own transaction, the `task.started` notices of what
/// it claimed (``PostgresEventNotice``), for when another instance listens; `$6` is the
/// store's event origin. A statement of its own, so each is prepared once.
struct PostgresAnnouncedClaimStatement: PostgresPreparedStatement {
    static let sql = PostgresEventNotice.announce(
        PostgresQuery(unsafeSQL: PostgresClaimStatement.sql), kind: .started, origin: "").sql

    typealias Row = AgentTask

    var claim: PostgresClaimStatement
    var origin: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = try claim.makeBindings()
        bindings.append(origin)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> AgentTask {
        try PostgresTaskRow.task(from: row)
    }
}
