import Scheduler

/// The domain tables in PostgreSQL, version by version, on the handlers' own track.
/// Version 2 gives messages and events the idempotency key that lets an attempt that
/// runs again find what the first one wrote.
///
/// Version 1 was the engine's version 2 before the tables became this module's; its
/// statements create only what is missing, so a database made then takes it unchanged.
enum PostgresDomainMigrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "users, conversations, messages, events", statements: [
            """
            CREATE TABLE IF NOT EXISTS users (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                first_name TEXT,
                last_name TEXT,
                email TEXT,
                phone_number TEXT,
                company TEXT,
                title TEXT,
                linkedin_url TEXT,
                timezone TEXT,
                verified BOOLEAN NOT NULL DEFAULT false,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS conversations (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                user_id UUID NOT NULL REFERENCES users (id),
                status VARCHAR(20) NOT NULL DEFAULT 'active'
                    CONSTRAINT conversations_status_check CHECK (status IN ('active', 'paused', 'closed')),
                created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX IF NOT EXISTS conversations_user_idx ON conversations (user_id, status)",
            """
            CREATE TABLE IF NOT EXISTS messages (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                conversation_id UUID NOT NULL REFERENCES conversations (id),
                user_id UUID NOT NULL REFERENCES users (id),
                role VARCHAR(20) NOT NULL,
                content TEXT NOT NULL,
                direction VARCHAR(10) NOT NULL
                    CONSTRAINT messages_direction_check CHECK (direction IN ('inbound', 'outbound')),
                status VARCHAR(20) NOT NULL DEFAULT 'pending',
                created_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX IF NOT EXISTS messages_user_idx ON messages (user_id, direction, created_at)",
            "CREATE INDEX IF NOT EXISTS messages_conversation_idx ON messages (conversation_id, created_at)",
            """
            CREATE TABLE IF NOT EXISTS events (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                event_type VARCHAR(100) NOT NULL,
                aggregate_id UUID,
                aggregate_type VARCHAR(50),
                payload JSONB NOT NULL DEFAULT '{}'::jsonb,
                metadata JSONB,
                created_by VARCHAR(100),
                created_at TIMESTAMPTZ NOT NULL DEFAULT now()
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
