/// The SQLite schema, version by version; the same versions as PostgreSQL's.
///
/// Timestamps are ISO 8601 text in UTC with milliseconds (see ``Timestamp``), which sorts
/// in time order. A trigger rewrites any other format SQLite understands into that one, so
/// rows inserted by other programs compare correctly.
enum SQLiteMigrations {
    /// SQLite's expression for "now" in the stored timestamp format.
    static let now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

    /// SQLite's expression for a new random (version 4) UUID in lowercase text.
    static let newUUID = """
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
        Migration(version: 2, name: "domain tables: users, conversations, messages, events", statements: [
            """
            CREATE TABLE IF NOT EXISTS users (
                id TEXT PRIMARY KEY NOT NULL DEFAULT (\(newUUID)),
                first_name TEXT,
                last_name TEXT,
                email TEXT,
                phone_number TEXT,
                company TEXT,
                title TEXT,
                linkedin_url TEXT,
                timezone TEXT,
                verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
                created_at TEXT NOT NULL DEFAULT (\(now)),
                updated_at TEXT NOT NULL DEFAULT (\(now))
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS conversations (
                id TEXT PRIMARY KEY NOT NULL DEFAULT (\(newUUID)),
                user_id TEXT NOT NULL REFERENCES users (id),
                status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
                created_at TEXT NOT NULL DEFAULT (\(now)),
                updated_at TEXT NOT NULL DEFAULT (\(now))
            )
            """,
            "CREATE INDEX IF NOT EXISTS conversations_user_idx ON conversations (user_id, status)",
            """
            CREATE TABLE IF NOT EXISTS messages (
                id TEXT PRIMARY KEY NOT NULL DEFAULT (\(newUUID)),
                conversation_id TEXT NOT NULL REFERENCES conversations (id),
                user_id TEXT NOT NULL REFERENCES users (id),
                role TEXT NOT NULL,
                content TEXT NOT NULL,
                direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
                status TEXT NOT NULL DEFAULT 'pending',
                created_at TEXT NOT NULL DEFAULT (\(now))
            )
            """,
            "CREATE INDEX IF NOT EXISTS messages_user_idx ON messages (user_id, direction, created_at)",
            "CREATE INDEX IF NOT EXISTS messages_conversation_idx ON messages (conversation_id, created_at)",
            """
            CREATE TABLE IF NOT EXISTS events (
                id TEXT PRIMARY KEY NOT NULL DEFAULT (\(newUUID)),
                event_type TEXT NOT NULL,
                aggregate_id TEXT,
                aggregate_type TEXT,
                payload TEXT NOT NULL DEFAULT '{}',
                metadata TEXT,
                created_by TEXT,
                created_at TEXT NOT NULL DEFAULT (\(now))
            )
            """,
            "CREATE INDEX IF NOT EXISTS events_type_idx ON events (event_type, created_at)",
        ]),
        // PostgreSQL's version 3 adds NOTIFY triggers; a SQLite file has one process
        // behind it, which wakes its own poller, so the version is empty here.
        Migration(version: 3, name: "wake-up notifications for pending tasks", statements: []),
        // PostgreSQL's version 4 makes two indexes partial so that updates stop writing
        // NULL entries; SQLite only touches the indexes whose columns an update changes.
        Migration(version: 4, name: "index only present user ids and idempotency keys", statements: []),
        // PostgreSQL's version 5 moves the claim into a function to pin its plan;
        // SQLite's planner already scans the claim index in order.
        Migration(version: 5, name: "claim function planned the same whatever the statistics", statements: []),
    ]
}
