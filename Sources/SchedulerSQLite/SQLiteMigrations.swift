import Scheduler

/// The engine's SQLite schema, version by version; the same versions as PostgreSQL's, and the
/// expressions (now, a new UUID) that other modules' SQLite migrations use too.
///
/// Timestamps are ISO 8601 text in UTC with milliseconds (see ``Timestamp``), which sorts
/// in time order. A trigger rewrites any other format SQLite understands into that one, so
/// rows inserted by other programs compare correctly.
public enum SQLiteMigrations {
    /// SQLite's expression for "now" in the stored timestamp format.
    public static let now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

    /// SQLite's expression for a new random (version 4) UUID in lowercase text.
    public static let newUUID = """
        lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' \
        || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))
        """

    static let all: [Migration] = [
        Migration(version: 1, name: "agent_tasks and agent_actions_log", statements: [
            """
            CREATE TABLE IF NOT EXISTS agent_tasks (
                id TEXT PRIMARY KEY NOT NULL DEFAULT (\(newUUID)),
                task_type TEXT NOT NULL,
                agent_type TEXT NOT NULL,
                user_id TEXT,
                context_id TEXT,
                context_type TEXT,
                scheduled_for TEXT NOT NULL DEFAULT (\(now)),
                priority TEXT NOT NULL DEFAULT 'medium'
                    CHECK (priority IN ('urgent', 'high', 'medium', 'low')),
                status TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
                retry_count INTEGER NOT NULL DEFAULT 0,
                max_retries INTEGER NOT NULL DEFAULT 3,
                last_attempted_at TEXT,
                context_json TEXT NOT NULL DEFAULT '{}',
                result_json TEXT,
                error_log TEXT,
                created_at TEXT NOT NULL DEFAULT (\(now)),
                created_by TEXT,
                completed_at TEXT,
                locked_by TEXT,
                locked_until TEXT,
                idempotency_key TEXT UNIQUE,
                updated_at TEXT NOT NULL DEFAULT (\(now)),
                priority_rank INTEGER GENERATED ALWAYS AS (
                    CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END
                ) VIRTUAL
            )
            """,
            """
            CREATE TRIGGER IF NOT EXISTS agent_tasks_normalize_scheduled_for
            AFTER INSERT ON agent_tasks
            WHEN NEW.scheduled_for IS NOT strftime('%Y-%m-%dT%H:%M:%fZ', NEW.scheduled_for)
            BEGIN
                UPDATE agent_tasks
                SET scheduled_for = strftime('%Y-%m-%dT%H:%M:%fZ', NEW.scheduled_for)
                WHERE id = NEW.id;
            END
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
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                agent_type TEXT NOT NULL,
                action_type TEXT NOT NULL,
                user_id TEXT,
                context_id TEXT,
                context_type TEXT,
                latency_ms INTEGER,
                input_data TEXT,
                output_data TEXT,
                error TEXT,
                attempt INTEGER,
                worker_id TEXT,
                started_at TEXT,
                created_at TEXT NOT NULL DEFAULT (\(now))
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
        // PostgreSQL's version 3 adds NOTIFY triggers; a SQLite file has one process
        // behind it, which wakes its own poller, so the version is empty here.
        Migration(version: 3, name: "wake-up notifications for pending tasks", statements: []),
        // PostgreSQL's version 4 makes two indexes partial so that updates stop writing
        // NULL entries; SQLite only touches the indexes whose columns an update changes.
        Migration(version: 4, name: "index only present user ids and idempotency keys", statements: []),
        // PostgreSQL's version 5 moves the claim into a function to pin its plan;
        // SQLite's planner already scans the claim index in order.
        Migration(version: 5, name: "claim function planned the same whatever the statistics", statements: []),
        // `retry_count` restarts at 0 on a manual retry (a fresh set of retries);
        // `attempts` counts every finished attempt, so attempt numbers keep counting.
        Migration(version: 6, name: "attempts counted over a task's whole life", statements: [
            "ALTER TABLE agent_tasks ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
            """
            UPDATE agent_tasks
            SET attempts = (SELECT count(*) FROM agent_actions_log AS l WHERE l.context_id = agent_tasks.id)
            WHERE id IN (SELECT context_id FROM agent_actions_log)
            """,
        ]),
        Migration(version: 7, name: "progress reported by running handlers", statements: [
            "ALTER TABLE agent_tasks ADD COLUMN progress_json TEXT",
        ]),
        // Queue analytics (GET /stats) read the last hour of the action log by its
        // creation time, and count failed and cancelled tasks through a partial index
        // that completed tasks never enter.
        Migration(version: 8, name: "queue analytics", statements: [
            "ALTER TABLE agent_actions_log ADD COLUMN outcome TEXT",
            "ALTER TABLE agent_actions_log ADD COLUMN wait_ms INTEGER",
            "CREATE INDEX agent_actions_log_created_idx ON agent_actions_log (created_at)",
            """
            CREATE INDEX agent_tasks_ended_idx ON agent_tasks (task_type, status)
                WHERE status IN ('failed', 'cancelled')
            """,
        ]),
        // PostgreSQL's version 9 records which instances listen for task events; a
        // SQLite file has one serving process.
        Migration(version: 9, name: "instances listening for task events", statements: []),
        // Remote workers claim tasks over HTTP; every worker, in-process engines too,
        // keeps a row saying what it runs and when it was last seen. A running task's
        // cancellation is a request its worker acts on, recorded on the task.
        Migration(version: 10, name: "workers and cancellation of running tasks", statements: [
            "ALTER TABLE agent_tasks ADD COLUMN cancel_requested_at TEXT",
            """
            CREATE TABLE agent_scheduler_workers (
                worker_id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                task_types TEXT NOT NULL,
                started_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL
            )
            """,
        ]),
        // A task may name a URL told when it ends; each final state's webhook deliveries
        // are written in the transaction that sets it (an outbox) and sent by one
        // dispatcher at a time.
        Migration(version: 11, name: "completion webhooks", statements: [
            "ALTER TABLE agent_tasks ADD COLUMN callback_url TEXT",
            """
            CREATE TABLE agent_webhook_deliveries (
                id INTEGER PRIMARY KEY,
                task_id TEXT NOT NULL,
                url TEXT NOT NULL,
                event TEXT NOT NULL,
                payload TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending',
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                locked_by TEXT,
                locked_until TEXT,
                last_status_code INTEGER,
                last_error TEXT,
                created_at TEXT NOT NULL,
                delivered_at TEXT
            )
            """,
            """
            CREATE INDEX agent_webhook_deliveries_due_idx
                ON agent_webhook_deliveries (next_attempt_at) WHERE status = 'pending'
            """,
            "CREATE INDEX agent_webhook_deliveries_task_idx ON agent_webhook_deliveries (task_id)",
        ]),
        // Task types paused until resumed, and the starts of rate-limited types within
        // their period; the claim reads both in its transaction.
        Migration(version: 12, name: "paused task types and per-type limits", statements: [
            "CREATE TABLE agent_task_type_pauses (task_type TEXT PRIMARY KEY, paused_at TEXT NOT NULL)",
            "CREATE TABLE agent_task_starts (task_type TEXT NOT NULL, started_at TEXT NOT NULL)",
            "CREATE INDEX agent_task_starts_idx ON agent_task_starts (task_type, started_at)",
        ]),
        // Recurring schedules, each tick taken by a compare-and-set on next_run_at.
        Migration(version: 13, name: "recurring schedules", statements: [
            """
            CREATE TABLE agent_schedules (
                name TEXT PRIMARY KEY,
                task_type TEXT NOT NULL,
                cron TEXT NOT NULL,
                timezone TEXT NOT NULL,
                context_json TEXT NOT NULL,
                priority TEXT NOT NULL,
                paused INTEGER NOT NULL DEFAULT 0,
                next_run_at TEXT,
                last_run_at TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
        ]),
        // Task lists newest first (the dashboard, GET /tasks) read in order from an index:
        // all tasks by (created_at, id), the order they are listed in even when a batch
        // shares one created_at; a user's tasks, and the failed or cancelled ones (each of
        // those two in a partial index), in that order however many there are; the failed
        // and cancelled totals by type read those two indexes alone.
        Migration(version: 14, name: "task lists in index order", statements: [
            "DROP INDEX IF EXISTS agent_tasks_created_idx",
            "CREATE INDEX agent_tasks_created_idx ON agent_tasks (created_at, id)",
            "DROP INDEX IF EXISTS agent_tasks_user_idx",
            "CREATE INDEX agent_tasks_user_idx ON agent_tasks (user_id, created_at)",
            "DROP INDEX IF EXISTS agent_tasks_ended_idx",
            "CREATE INDEX agent_tasks_failed_idx ON agent_tasks (created_at, id, task_type) WHERE status = 'failed'",
            "CREATE INDEX agent_tasks_cancelled_idx ON agent_tasks (created_at, id, task_type) WHERE status = 'cancelled'",
        ]),
        // Keys every instance shares (the one lease tokens are signed with), and the
        // dashboard sessions ended by logout before they expire.
        Migration(version: 15, name: "shared keys and revoked dashboard sessions", statements: [
            "CREATE TABLE agent_scheduler_keys (name TEXT PRIMARY KEY, secret TEXT NOT NULL, created_at TEXT NOT NULL)",
            "CREATE TABLE agent_dashboard_revoked_sessions (nonce TEXT PRIMARY KEY, expires_at TEXT NOT NULL)",
        ]),
        // Recurring schedules about a user (the task processor's handlers need one).
        Migration(version: 16, name: "schedules about a user", statements: [
            "ALTER TABLE agent_schedules ADD COLUMN user_id TEXT",
        ]),
    ]
}
