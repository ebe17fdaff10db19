import Foundation
import SQLiteNIO
import Scheduler

/// The webhook outbox: deliveries written with the final states, claimed by the
/// dispatcher under a lease, and their results.
extension SQLiteTaskStore {
    /// Writes deliveries inside the caller's transaction.
    static func insert(_ deliveries: [NewWebhookDelivery], on connection: SQLiteConnection) async throws {
        for delivery in deliveries {
            _ = try await connection.rows(
                """
                INSERT INTO agent_webhook_deliveries (task_id, url, event, payload, next_attempt_at, created_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                """,
                [SQLiteValue.bind(delivery.taskID), .text(delivery.url), .text(delivery.event), .text(delivery.payload),
                 SQLiteValue.bind(delivery.createdAt)]
            )
        }
    }

    public func claimDeliveries(limit: Int, dispatcherID: String, leaseUntil: Date, now: Date) async throws -> [WebhookDelivery] {
        try await query(
            """
            UPDATE agent_webhook_deliveries SET locked_by = ?1, locked_until = ?2
            WHERE id IN (
                SELECT id FROM agent_webhook_deliveries
                WHERE status = 'pending' AND next_attempt_at <= ?3 AND (locked_until IS NULL OR locked_until < ?3)
                ORDER BY next_attempt_at LIMIT ?4)
            RETURNING \(Self.deliveryColumns)
            """,
            [.text(dispatcherID), SQLiteValue.bind(leaseUntil), SQLiteValue.bind(now), SQLiteValue.bind(limit)]
        ).map(Self.delivery(from:))
    }

    public func recordDelivery(id: Int64, dispatcherID: String, result: WebhookAttemptResult) async throws {
        let (status, code, error, at, next): (WebhookDelivery.Status, Int?, String?, Date, Date?) =
            switch result {
            case .delivered(let code, let at): (.delivered, code, nil, at, nil)
            case .retry(let code, let error, let at, let retryAt): (.pending, code, error, at, retryAt)
            case .failed(let code, let error, let at): (.failed, code, error, at, nil)
            }
        _ = try await query(
            """
            UPDATE agent_webhook_deliveries
            SET status = ?1, attempts = attempts + 1, last_status_code = ?2, last_error = ?3,
                delivered_at = CASE WHEN ?1 = 'delivered' THEN ?4 END,
                next_attempt_at = COALESCE(?5, next_attempt_at), locked_by = NULL, locked_until = NULL
            WHERE id = ?6 AND locked_by = ?7
            """,
            [.text(status.rawValue), code.map { SQLiteValue.bind($0) } ?? .null, SQLiteValue.bind(error),
             SQLiteValue.bind(at), SQLiteValue.bind(next), .integer(SQLiteInt64(id)), .text(dispatcherID)]
        )
    }

    public func deliveries(taskID: UUID) async throws -> [WebhookDelivery] {
        try await query(
            "SELECT \(Self.deliveryColumns) FROM agent_webhook_deliveries WHERE task_id = ?1 ORDER BY id",
            [SQLiteValue.bind(taskID)]
        ).map(Self.delivery(from:))
    }

    private static let deliveryColumns = """
        id, task_id, url, event, payload, status, attempts, next_attempt_at, last_status_code, last_error, \
        created_at, delivered_at
        """

    private static func delivery(from row: SQLiteRow) throws -> WebhookDelivery {
        let status = try SQLiteValue.string(row, "status")
        return WebhookDelivery(
            id: Int64(try SQLiteValue.int(row, "id")),
            taskID: try SQLiteValue.uuid(row, "task_id"),
            url: try SQLiteValue.string(row, "url"),
            event: try SQLiteValue.string(row, "event"),
            payload: try SQLiteValue.string(row, "payload"),
            status: try WebhookDelivery.Status(rawValue: status).orThrow(StoreDecodingError(column: "status", value: status)),
            attempts: try SQLiteValue.int(row, "attempts"),
            nextAttemptAt: try SQLiteValue.date(row, "next_attempt_at"),
            lastStatusCode: row.column("last_status_code")?.integer.map { Int($0) },
            lastError: SQLiteValue.optionalString(row, "last_error"),
            createdAt: try SQLiteValue.date(row, "created_at"),
            deliveredAt: try SQLiteValue.optionalDate(row, "delivered_at"))
    }
}
