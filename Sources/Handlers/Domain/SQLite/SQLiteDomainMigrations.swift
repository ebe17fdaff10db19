import Scheduler
import SchedulerSQLite

/// The domain tables in SQLite, version by version, on the handlers' own track; the
/// same versions as PostgreSQL's. Version 2 gives messages and events the idempotency
/// key that lets an attempt that runs again find what the first one wrote.
///
/// Version 1 was the engine's version 2 before the tables became this module's; its
/// statements create only what is missing, so a file made then takes it unchanged.
enum SQLiteDomainMigrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "users, conversations, messages, events", statements: [
            """
            CREATE TABLE IF NOT EXISTS users (
                id TEXT PRIMARY KEY NOT NULL DEFAULT (\(SQLiteMigrations.newUUID)),
                first_name TEXT,
                last_name TEXT,
                email TEXT,
                phone_number TEXT,
                company TEXT,
                title TEXT,
                linkedin_url TEXT,
                timezone TEXT,
                verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
                created_at TEXT NOT NULL DEFAULT (\(SQLiteMigrations.now)),
                updated_at TEXT NOT NULL DEFAULT (\(SQLiteMigrations.now))
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS conversations (
                id TEXT PRIMARY KEY NOT NULL DEFAULT (\(SQLiteMigrations.newUUID)),
                user_id TEXT NOT NULL REFERENCES users (id),
                status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
                created_at TEXT NOT NULL DEFAULT (\(SQLiteMigrations.now)),
                updated_at TEXT NOT NULL DEFAULT (\(SQLiteMigrations.now))
            )
            """,
            "CREATE INDEX IF NOT EXISTS conversations_user_idx ON conversations (user_id, status)",
            """
            CREATE TABLE IF NOT EXISTS messages (
                id TEXT PRIMARY KEY NOT NULL DEFAULT (\(SQLiteMigrations.newUUID)),
                conversation_id TEXT NOT NULL REFERENCES conversations (id),
                user_id TEXT NOT NULL REFERENCES users (id),
                role TEXT NOT NULL,
                content TEXT NOT NULL,
                direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
                status TEXT NOT NULL DEFAULT 'pending',
                created_at TEXT NOT NULL DEFAULT (\(SQLiteMigrations.now))
            )
            """,
            "CREATE INDEX IF NOT EXISTS messages_user_idx ON messages (user_id, direction, created_at)",
            "CREATE INDEX IF NOT EXISTS messages_conversation_idx ON messages (conversation_id, created_at)",
            """
            CREATE TABLE IF NOT EXISTS events (
                id TEXT PRIMARY KEY NOT NULL DEFAULT (\(SQLiteMigrations.newUUID)),
                event_type TEXT NOT NULL,
                aggregate_id TEXT,
                aggregate_type TEXT,
                payload TEXT NOT NULL DEFAULT '{}',
                metadata TEXT,
                created_by TEXT,
                created_at TEXT NOT NULL DEFAULT (\(SQLiteMigrations.now))
            )
            """,
            "CREATE INDEX IF NOT EXISTS events_type_idx ON events (event_type, created_at)",
        ]),
        Migration(version: 2, name: "idempotency keys of messages and events", statements: [
            "ALTER TABLE messages ADD COLUMN idempotency_key TEXT",
            """
            CREATE UNIQUE INDEX messages_idempotency_key_unique
                ON messages (idempotency_key) WHERE idempotency_key IS NOT NULL
            """,
            "ALTER TABLE events ADD COLUMN idempotency_key TEXT",
            """
            CREATE UNIQUE INDEX events_idempotency_key_unique
                ON events (idempotency_key) WHERE idempotency_key IS NOT NULL
            """,
        ]),
    ]
}
