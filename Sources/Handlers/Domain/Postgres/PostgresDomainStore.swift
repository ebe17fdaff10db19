import Foundation
import Logging
import PostgresNIO
import Scheduler
import SchedulerPostgres

/// The ``DomainStore`` over the PostgreSQL database of a ``PostgresTaskStore``.
struct PostgresDomainStore: DomainStore {
    let store: PostgresTaskStore
    /// Reports the statements of ``updateUser(id:fields:now:)``'s transaction.
    let logger = Logger(label: "agent-scheduler.domain")

    func user(id: UUID) async throws -> User? {
        let rows = try await store.query(
            "SELECT id, first_name, last_name, email, verified FROM users WHERE id = \(id)")
        for try await (id, first, last, email, verified) in rows.decode((UUID, String?, String?, String?, Bool).self) {
            return User(id: id, firstName: first, lastName: last, email: email, verified: verified)
        }
        return nil
    }

    func activeConversation(userID: UUID) async throws -> Conversation? {
        let rows = try await store.query(
            """
            SELECT id, user_id FROM conversations
            WHERE user_id = \(userID) AND status = 'active'
            ORDER BY updated_at DESC, created_at DESC LIMIT 1
            """)
        for try await (id, user) in rows.decode((UUID, UUID).self) {
            return Conversation(id: id, userID: user, status: .active)
        }
        return nil
    }

    func lastInboundMessage(userID: UUID, since: Date) async throws -> Message? {
        let rows = try await store.query(
            """
            SELECT id, conversation_id, user_id, content, status, created_at FROM messages
            WHERE user_id = \(userID) AND direction = 'inbound' AND role = 'user' AND created_at > \(since)
            ORDER BY created_at DESC LIMIT 1
            """)
        for try await (id, conversation, user, content, status, createdAt) in rows.decode(
            (UUID, UUID, UUID, String, String, Date).self)
        {
            return Message(
                id: id, conversationID: conversation, userID: user, role: .user, content: content,
                direction: .inbound, status: status, createdAt: createdAt)
        }
        return nil
    }

    func insertMessage(_ message: NewMessage, now: Date) async throws -> UUID {
        let rows = try await store.query(
            """
            WITH inserted AS (
                INSERT INTO messages (conversation_id, user_id, role, content, direction, status, idempotency_key, created_at)
                VALUES (\(message.conversationID), \(message.userID), \(message.role.rawValue), \(message.content),
                        \(message.direction.rawValue), \(message.status), \(message.idempotencyKey), \(now))
                ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING id)
            SELECT id FROM inserted
            UNION ALL
            SELECT id FROM messages WHERE idempotency_key = \(message.idempotencyKey) AND NOT EXISTS (SELECT 1 FROM inserted)
            """)
        return try await Self.firstID(rows)
    }

    func publishEvent(_ event: NewEvent, now: Date) async throws -> UUID {
        let rows = try await store.query(
            """
            WITH inserted AS (
                INSERT INTO events (
                    event_type, aggregate_id, aggregate_type, payload, metadata, created_by, idempotency_key, created_at)
                VALUES (\(event.eventType), \(event.aggregateID), \(event.aggregateType), \(event.payloadJSON)::jsonb,
                        \(event.metadataJSON)::jsonb, \(event.createdBy), \(event.idempotencyKey), \(now))
                ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING id)
            SELECT id FROM inserted
            UNION ALL
            SELECT id FROM events WHERE idempotency_key = \(event.idempotencyKey) AND NOT EXISTS (SELECT 1 FROM inserted)
            """)
        return try await Self.firstID(rows)
    }

    func updateUser(id: UUID, fields: [ProfileField: String?], now: Date) async throws -> Bool {
        try await store.withTransaction { connection in
            guard try await connection.query("SELECT id FROM users WHERE id = \(id) FOR UPDATE", logger: logger)
                .collect().count == 1
            else { return false }
            for (field, value) in fields.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                // The column name comes from the allow-list enum, never from input.
                _ = try await connection.query(
                    "UPDATE users SET \(unescaped: field.rawValue) = \(value), updated_at = \(now) WHERE id = \(id)",
                    logger: logger
                ).collect()
            }
            return true
        }
    }

    func pauseConversation(id: UUID, now: Date) async throws {
        _ = try await store.query(
            "UPDATE conversations SET status = 'paused', updated_at = \(now) WHERE id = \(id)"
        ).collect()
    }

    func scheduleTask(_ task: NewTask, now: Date) async throws -> EnqueueResult {
        try await store.enqueue(task, now: now)
    }

    private static func firstID(_ rows: PostgresRowSequence) async throws -> UUID {
        for try await id in rows.decode(UUID.self) { return id }
        throw HandlerError.retryable("the database returned no id for the inserted row")
    }
}
