import Scheduler

/// The SQL of migration 12: task types paused across every instance, and claims that
/// honour pauses and per-type limits inside the database, so that every instance and
/// every remote worker's claim sees the same state.
enum PostgresFlowControlSQL {
    static let pausesTable = """
        CREATE TABLE IF NOT EXISTS agent_task_type_pauses (
            task_type TEXT PRIMARY KEY,
            paused_at TIMESTAMPTZ NOT NULL
        )
        """

    /// One row per start of a rate-limited type within its period: an exact sliding
    /// window (a token bucket or a fixed window lets up to twice the rate through
    /// across a boundary). Each limited claim drops the rows older than the period.
    static let startsTable = """
        CREATE TABLE IF NOT EXISTS agent_task_starts (
            task_type TEXT NOT NULL,
            started_at TIMESTAMPTZ NOT NULL
        )
        """

    static let startsIndex = "CREATE INDEX IF NOT EXISTS agent_task_starts_idx ON agent_task_starts (task_type, started_at)"

    /// The `UPDATE` both claim functions share (migration 5's, which may not change, spells
    /// it out): the first `limit` due tasks whose type meets `types`, one priority rank
    /// after another (see ``PostgresClaimStatement``), marked as claimed.
    static func claimDue(types: String, limit: String) -> String {
        """
        UPDATE agent_tasks
        SET status = 'processing', locked_by = worker, locked_until = lease_until,
            last_attempted_at = claim_time, updated_at = claim_time
        WHERE id = ANY(ARRAY(
            SELECT due.id FROM unnest(ARRAY[0, 1, 2, 3]::smallint[]) AS r(rank)
            CROSS JOIN LATERAL (
                SELECT id FROM agent_tasks
                WHERE status = 'pending' AND priority_rank = r.rank AND scheduled_for <= claim_time
                  AND \(types)
                ORDER BY scheduled_for
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED) AS due
            LIMIT \(limit)))
        """
    }

    /// Migration 5's claim (``PostgresClaimStatement``), leaving out paused types: their
    /// names are looked up once per claim in a table of a few rows.
    static let pausingClaimFunction = """
        CREATE OR REPLACE FUNCTION agent_tasks_claim(
            worker TEXT, lease_until TIMESTAMPTZ, claim_time TIMESTAMPTZ, task_types TEXT[], max_tasks BIGINT)
        RETURNS SETOF agent_tasks
        LANGUAGE plpgsql VOLATILE
        SET enable_sort = off
        AS $$
        DECLARE
            claimable TEXT[] := ARRAY(
                SELECT t FROM unnest(task_types) AS t
                WHERE NOT EXISTS (SELECT 1 FROM agent_task_type_pauses AS p WHERE p.task_type = t));
        BEGIN
            PERFORM set_config('synchronous_commit', 'off', true);
            RETURN QUERY
            \(claimDue(types: "task_type = ANY(claimable)", limit: "max_tasks"))
            RETURNING *;
        END
        $$
        """

    /// The claim of one limited type: under a transaction-scoped advisory lock of that
    /// type alone (claims of other types never wait for it), it counts the type's running
    /// tasks and its starts within the rate's period, claims at most what both leave,
    /// and records the starts. `max_running` or `max_starts` NULL means no such limit.
    static let limitedClaimFunction = """
        CREATE OR REPLACE FUNCTION agent_tasks_claim_limited(
            worker TEXT, lease_until TIMESTAMPTZ, claim_time TIMESTAMPTZ, one_type TEXT, max_tasks BIGINT,
            max_running BIGINT, max_starts BIGINT, period_seconds DOUBLE PRECISION)
        RETURNS SETOF agent_tasks
        LANGUAGE plpgsql VOLATILE
        SET enable_sort = off
        AS $$
        DECLARE
            allowed BIGINT := max_tasks;
        BEGIN
            IF EXISTS (SELECT 1 FROM agent_task_type_pauses WHERE task_type = one_type) THEN
                RETURN;
            END IF;
            PERFORM pg_advisory_xact_lock(hashtextextended('agent_scheduler.task_limit.' || one_type, 0));
            IF max_running IS NOT NULL THEN
                allowed := LEAST(allowed, max_running - (
                    SELECT count(*) FROM agent_tasks WHERE status = 'processing' AND task_type = one_type));
            END IF;
            IF max_starts IS NOT NULL THEN
                -- Instances' claim times arrive out of order: a claim must not delete the
                -- starts an earlier claim time still counts, so only those a minute past
                -- the period go, and each claim counts its own window (and anything later).
                DELETE FROM agent_task_starts
                WHERE task_type = one_type
                  AND started_at <= claim_time - make_interval(secs => period_seconds + 60);
                allowed := LEAST(allowed, max_starts - (
                    SELECT count(*) FROM agent_task_starts
                    WHERE task_type = one_type AND started_at > claim_time - make_interval(secs => period_seconds)));
            END IF;
            IF allowed <= 0 THEN
                RETURN;
            END IF;
            RETURN QUERY
            WITH claimed AS (
                \(claimDue(types: "task_type = one_type", limit: "allowed"))
                RETURNING *),
            recorded AS (
                INSERT INTO agent_task_starts (task_type, started_at)
                SELECT one_type, claim_time FROM claimed WHERE max_starts IS NOT NULL)
            SELECT * FROM claimed;
        END
        $$
        """

    /// The call of ``limitedClaimFunction`` returning the task columns.
    static let limitedClaim = "SELECT \(PostgresTaskRow.columns) FROM agent_tasks_claim_limited($1, $2, $3, $4, $5, $6, $7, $8)"
}
