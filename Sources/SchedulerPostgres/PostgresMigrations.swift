import Scheduler

/// The engine's PostgreSQL schema, version by version.
enum PostgresMigrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "agent_tasks and agent_actions_log", statements: [
            """
            CREATE TABLE IF NOT EXISTS agent_tasks (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                task_type VARCHAR(100) NOT NULL,
                agent_type VARCHAR(50) NOT NULL,
                user_id UUID,
                context_id UUID,
                context_type VARCHAR(50),
                scheduled_for TIMESTAMPTZ NOT NULL DEFAULT now(),
                priority VARCHAR(20) NOT NULL DEFAULT 'medium'
                    CONSTRAINT agent_tasks_priority_check CHECK (priority IN ('urgent', 'high', 'medium', 'low')),
                status VARCHAR(50) NOT NULL DEFAULT 'pending'
                    CONSTRAINT agent_tasks_status_check
                    CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
                retry_count INTEGER NOT NULL DEFAULT 0,
                max_retries INTEGER NOT NULL DEFAULT 3,
                last_attempted_at TIMESTAMPTZ,
                context_json JSONB NOT NULL DEFAULT '{}'::jsonb,
                result_json JSONB,
                error_log TEXT,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                created_by VARCHAR(100),
                completed_at TIMESTAMPTZ,
                locked_by TEXT,
                locked_until TIMESTAMPTZ,
                idempotency_key TEXT CONSTRAINT agent_tasks_idempotency_key_unique UNIQUE,
                updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                priority_rank SMALLINT GENERATED ALWAYS AS (
                    CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END
                ) STORED
            )
            """,
            """
            CREATE INDEX IF NOT EXISTS agent_tasks_claim_idx
                ON agent_tasks (priority_rank, scheduled_for) WHERE status = 'pending'
            """,
            """
            CREATE INDEX IF NOT EXISTS agent_tasks_lease_idx
                ON agent_tasks (locked_until) WHERE status = 'processing'
            """,
            "CREATE INDEX IF NOT EXISTS agent_tasks_user_idx ON agent_tasks (user_id)",
            "CREATE INDEX IF NOT EXISTS agent_tasks_created_idx ON agent_tasks (created_at)",
            """
            CREATE TABLE IF NOT EXISTS agent_actions_log (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                agent_type VARCHAR(50) NOT NULL,
                action_type VARCHAR(100) NOT NULL,
                user_id UUID,
                context_id UUID,
                context_type VARCHAR(50),
                latency_ms INTEGER,
                input_data JSONB,
                output_data JSONB,
                error TEXT,
                attempt INTEGER,
                worker_id TEXT,
                started_at TIMESTAMPTZ,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE INDEX IF NOT EXISTS agent_actions_log_context_idx
                ON agent_actions_log (context_id, id)
            """,
        ]),
        // The domain tables (users, conversations, messages, events) are the Handlers
        // module's, on its own track; this version stays, empty, so the numbers keep
        // their meaning.
        Migration(version: 2, name: "domain tables, now on the handlers track", statements: []),
        Migration(version: 3, name: "wake-up notifications for pending tasks", statements: [
            """
            CREATE OR REPLACE FUNCTION agent_tasks_notify_pending() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('\(PostgresWakeListener.channel)', NEW.task_type);
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE TRIGGER agent_tasks_notify_insert
            AFTER INSERT ON agent_tasks
            FOR EACH ROW WHEN (NEW.status = 'pending')
            EXECUTE FUNCTION agent_tasks_notify_pending()
            """,
            """
            CREATE TRIGGER agent_tasks_notify_update
            AFTER UPDATE OF status, scheduled_for ON agent_tasks
            FOR EACH ROW WHEN (NEW.status = 'pending'
                AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.scheduled_for IS DISTINCT FROM NEW.scheduled_for))
            EXECUTE FUNCTION agent_tasks_notify_pending()
            """,
        ]),
        // Every claim and every result is an update that moves a row out of a partial
        // index, so PostgreSQL writes a new entry into each index of the table. Most
        // tasks have no idempotency key and some no user: indexing those NULLs cost two
        // index insertions per update and found nothing, since no query looks them up.
        Migration(version: 4, name: "index only present user ids and idempotency keys", statements: [
            "DROP INDEX IF EXISTS agent_tasks_user_idx",
            "CREATE INDEX agent_tasks_user_idx ON agent_tasks (user_id) WHERE user_id IS NOT NULL",
            "ALTER TABLE agent_tasks DROP CONSTRAINT IF EXISTS agent_tasks_idempotency_key_unique",
            """
            CREATE UNIQUE INDEX agent_tasks_idempotency_key_unique
                ON agent_tasks (idempotency_key) WHERE idempotency_key IS NOT NULL
            """,
        ]),
        Migration(version: 5, name: "claim function planned the same whatever the statistics", statements: [
            PostgresClaimStatement.createFunction,
        ]),
        // `retry_count` restarts at 0 on a manual retry (a fresh set of retries);
        // `attempts` counts every finished attempt, so attempt numbers keep counting.
        Migration(version: 6, name: "attempts counted over a task's whole life", statements: [
            "ALTER TABLE agent_tasks ADD COLUMN IF NOT EXISTS attempts INTEGER NOT NULL DEFAULT 0",
            """
            UPDATE agent_tasks AS t SET attempts = l.n
            FROM (SELECT context_id, count(*)::int AS n FROM agent_actions_log GROUP BY context_id) AS l
            WHERE l.context_id = t.id
            """,
        ]),
        Migration(version: 7, name: "progress reported by running handlers", statements: [
            "ALTER TABLE agent_tasks ADD COLUMN IF NOT EXISTS progress_json JSONB",
        ]),
        // Queue analytics (GET /stats) read the last hour of the action log (each
        // attempt's outcome and its wait from `scheduled_for`, which for a task scheduled
        // long ago passes 32 bits of milliseconds) through a
        // BRIN index, which costs next to nothing on an append-only table, and count
        // failed and cancelled tasks through a partial index that completed tasks,
        // the bulk of the table, never enter.
        Migration(version: 8, name: "queue analytics", statements: [
            """
            ALTER TABLE agent_actions_log
                ADD COLUMN IF NOT EXISTS outcome VARCHAR(20), ADD COLUMN IF NOT EXISTS wait_ms BIGINT
            """,
            """
            CREATE INDEX IF NOT EXISTS agent_actions_log_created_brin ON agent_actions_log
                USING brin (created_at) WITH (pages_per_range = 16)
            """,
            """
            CREATE INDEX IF NOT EXISTS agent_tasks_ended_idx ON agent_tasks (task_type, status)
                WHERE status IN ('failed', 'cancelled')
            """,
        ]),
        // A serving instance announces its task events (NOTIFY) only while another one
        // has event clients; those keep a row here (PostgresEventAudience).
        Migration(version: 9, name: "instances listening for task events", statements: [
            """
            CREATE TABLE IF NOT EXISTS agent_scheduler_listeners (
                origin TEXT PRIMARY KEY,
                expires_at TIMESTAMPTZ NOT NULL
            )
            """,
        ]),
        // Remote workers claim tasks over HTTP; every worker, in-process engines too,
        // keeps a row saying what it runs and when it was last seen. A running task's
        // cancellation is a request its worker acts on, recorded on the task.
        Migration(version: 10, name: "workers and cancellation of running tasks", statements: [
            "ALTER TABLE agent_tasks ADD COLUMN IF NOT EXISTS cancel_requested_at TIMESTAMPTZ",
            """
            CREATE TABLE IF NOT EXISTS agent_scheduler_workers (
                worker_id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                task_types TEXT NOT NULL,
                started_at TIMESTAMPTZ NOT NULL,
                last_seen_at TIMESTAMPTZ NOT NULL
            )
            """,
        ]),
        // A task may name a URL told when it ends; each final state's webhook deliveries
        // are written in the transaction that sets it (an outbox) and sent by one
        // dispatcher at a time.
        Migration(version: 11, name: "completion webhooks", statements: [
            "ALTER TABLE agent_tasks ADD COLUMN IF NOT EXISTS callback_url TEXT",
            """
            CREATE TABLE IF NOT EXISTS agent_webhook_deliveries (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                task_id UUID NOT NULL,
                url TEXT NOT NULL,
                event TEXT NOT NULL,
                payload TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending',
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TIMESTAMPTZ NOT NULL,
                locked_by TEXT,
                locked_until TIMESTAMPTZ,
                last_status_code INTEGER,
                last_error TEXT,
                created_at TIMESTAMPTZ NOT NULL,
                delivered_at TIMESTAMPTZ
            )
            """,
            """
            CREATE INDEX IF NOT EXISTS agent_webhook_deliveries_due_idx
                ON agent_webhook_deliveries (next_attempt_at) WHERE status = 'pending'
            """,
            "CREATE INDEX IF NOT EXISTS agent_webhook_deliveries_task_idx ON agent_webhook_deliveries (task_id)",
        ]),
        // Task types paused for every instance, and per-type limits on running tasks and
        // starts per period, both enforced by the claims themselves.
        Migration(version: 12, name: "paused task types and per-type limits", statements: [
            PostgresFlowControlSQL.pausesTable,
            PostgresFlowControlSQL.startsTable,
            PostgresFlowControlSQL.startsIndex,
            PostgresFlowControlSQL.pausingClaimFunction,
            PostgresFlowControlSQL.limitedClaimFunction,
        ]),
        // Recurring schedules: each tick is taken by moving next_run_at forward with a
        // compare-and-set, and its task carries an idempotency key from name and tick.
        Migration(version: 13, name: "recurring schedules", statements: [
            """
            CREATE TABLE IF NOT EXISTS agent_schedules (
                name TEXT PRIMARY KEY,
                task_type TEXT NOT NULL,
                cron TEXT NOT NULL,
                timezone TEXT NOT NULL,
                context_json TEXT NOT NULL,
                priority TEXT NOT NULL,
                paused BOOLEAN NOT NULL DEFAULT false,
                next_run_at TIMESTAMPTZ,
                last_run_at TIMESTAMPTZ,
                created_at TIMESTAMPTZ NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL
            )
            """,
        ]),
        // Task lists newest first (the dashboard, GET /tasks) read in order from an index:
        // all tasks by (created_at, id), the order they are listed in even when a batch
        // shares one created_at; a user's tasks from (user_id, created_at), however many.
        Migration(version: 14, name: "task lists in index order", statements: [
            "DROP INDEX IF EXISTS agent_tasks_created_idx",
            "CREATE INDEX agent_tasks_created_idx ON agent_tasks (created_at, id)",
            "DROP INDEX IF EXISTS agent_tasks_user_idx",
            "CREATE INDEX agent_tasks_user_idx ON agent_tasks (user_id, created_at) WHERE user_id IS NOT NULL",
        ]),
        // Keys every instance shares (the one lease tokens are signed with), and the
        // dashboard sessions ended by logout before they expire.
        Migration(version: 15, name: "shared keys and revoked dashboard sessions", statements: [
            """
            CREATE TABLE IF NOT EXISTS agent_scheduler_keys (
                name TEXT PRIMARY KEY, secret TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """,
            """
            CREATE TABLE IF NOT EXISTS agent_dashboard_revoked_sessions (
                nonce TEXT PRIMARY KEY, expires_at TIMESTAMPTZ NOT NULL)
            """,
        ]),
        // Recurring schedules about a user (the task processor's handlers need one).
        Migration(version: 16, name: "schedules about a user", statements: [
            "ALTER TABLE agent_schedules ADD COLUMN IF NOT EXISTS user_id UUID",
        ]),
        // A rate limit held across instances whose claim times arrive out of order: a
        // claim no longer deletes the starts an earlier claim time still counts.
        Migration(version: 17, name: "rate limits with out-of-order claims", statements: [
            PostgresFlowControlSQL.limitedClaimFunction,
        ]),
    ]
}
