import Foundation
import SQLiteNIO
import Scheduler
import SchedulerSQLite

/// The ``DomainStore`` over the SQLite file of a ``SQLiteTaskStore``, sharing its
/// connection (and so its ordering of statements).
struct SQLiteDomainStore: DomainStore {
    let store: SQLiteTaskStore

    func user(id: UUID) async throws -> User? {
        let rows = try await store.query(
            "SELECT id, first_name, last_name, email, verified FROM users WHERE id = ?1", [SQLiteValue.bind(id)])
        return try rows.first.map { row in
            User(
                id: try SQLiteValue.uuid(row, "id"),
                firstName: SQLiteValue.optionalString(row, "first_name"),
                lastName: SQLiteValue.optionalString(row, "last_name"),
                email: SQLiteValue.optionalString(row, "email"),
                verified: try SQLiteValue.int(row, "verified") != 0
            )
        }
    }

    func activeConversation(userID: UUID) async throws -> Conversation? {
        let rows = try await store.query(
            """
            SELECT id, user_id FROM conversations
            WHERE user_id = ?1 AND status = 'active'
            ORDER BY updated_at DESC, created_at DESC LIMIT 1
            """,
            [SQLiteValue.bind(userID)])
        return try rows.first.map { row in
            Conversation(id: try SQLiteValue.uuid(row, "id"), userID: try SQLiteValue.uuid(row, "user_id"), status: .active)
        }
    }

    func lastInboundMessage(userID: UUID, since: Date) async throws -> Message? {
        let rows = try await store.query(
            """
            SELECT id, conversation_id, user_id, content, status, created_at FROM messages
            WHERE user_id = ?1 AND direction = 'inbound' AND role = 'user' AND created_at > ?2
            ORDER BY created_at DESC LIMIT 1
            """,
            [SQLiteValue.bind(userID), SQLiteValue.bind(since)])
        return try rows.first.map { row in
            Message(
                id: try SQLiteValue.uuid(row, "id"),
                conversationID: try SQLiteValue.uuid(row, "conversation_id"),
                userID: try SQLiteValue.uuid(row, "user_id"),
                role: .user,
                content: try SQLiteValue.string(row, "content"),
                direction: .inbound,
                status: try SQLiteValue.string(row, "status"),
                createdAt: try SQLiteValue.date(row, "created_at")
            )
        }
    }

    func insertMessage(_ message: NewMessage, now: Date) async throws -> UUID {
        try await insertOnce(
            into: "messages", key: message.idempotencyKey,
            sql: """
                INSERT INTO messages (id, conversation_id, user_id, role, content, direction, status, idempotency_key, created_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                """,
            binds: { id in
                [
                    SQLiteValue.bind(id), SQLiteValue.bind(message.conversationID), SQLiteValue.bind(message.userID),
                    .text(message.role.rawValue), .text(message.content), .text(message.direction.rawValue),
                    .text(message.status), SQLiteValue.bind(message.idempotencyKey), SQLiteValue.bind(now),
                ]
            })
    }

    func publishEvent(_ event: NewEvent, now: Date) async throws -> UUID {
        try await insertOnce(
            into: "events", key: event.idempotencyKey,
            sql: """
                INSERT INTO events (
                    id, event_type, aggregate_id, aggregate_type, payload, metadata, created_by, idempotency_key, created_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                """,
            binds: { id in
                [
                    SQLiteValue.bind(id), .text(event.eventType), SQLiteValue.bind(event.aggregateID),
                    SQLiteValue.bind(event.aggregateType), .text(event.payloadJSON), SQLiteValue.bind(event.metadataJSON),
                    .text(event.createdBy), SQLiteValue.bind(event.idempotencyKey), SQLiteValue.bind(now),
                ]
            })
    }

    /// Runs an insert into `table` (`messages` or `events`) with a new id, unless a row
    /// with the same idempotency key exists; returns the new or the existing row's id.
    private func insertOnce(
        into table: String, key: String?, sql: String, binds: (UUID) -> [SQLiteData]
    ) async throws -> UUID {
        let id = UUID()
        return try await store.transaction { connection in
            let inserted = try await connection.rows(
                sql + "\nON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id", binds(id))
            if !inserted.isEmpty { return id }
            // The table name is one of two constants above, never input.
            let existing = try await connection.rows("SELECT id FROM \(table) WHERE idempotency_key = ?1", [SQLiteValue.bind(key)])
            guard let row = existing.first else { throw HandlerError.retryable("the \(table) row with this key disappeared") }
            return try SQLiteValue.uuid(row, "id")
        }
    }

    func updateUser(id: UUID, fields: [ProfileField: String?], now: Date) async throws -> Bool {
        try await store.transaction { connection in
            guard try await !connection.rows("SELECT id FROM users WHERE id = ?1", [SQLiteValue.bind(id)]).isEmpty
            else { return false }
            for (field, value) in fields.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                // The column name comes from the allow-list enum, never from input.
                _ = try await connection.rows(
                    "UPDATE users SET \(field.rawValue) = ?1, updated_at = ?2 WHERE id = ?3",
                    [SQLiteValue.bind(value), SQLiteValue.bind(now), SQLiteValue.bind(id)])
            }
            return true
        }
    }

    func pauseConversation(id: UUID, now: Date) async throws {
        _ = try await store.query(
            "UPDATE conversations SET status = 'paused', updated_at = ?1 WHERE id = ?2",
            [SQLiteValue.bind(now), SQLiteValue.bind(id)])
    }

    func scheduleTask(_ task: NewTask, now: Date) async throws -> EnqueueResult {
        try await store.enqueue(task, now: now)
    }
}
