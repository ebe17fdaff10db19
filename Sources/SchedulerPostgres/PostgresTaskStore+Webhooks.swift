import Foundation
import PostgresNIO
import Scheduler

/// The webhook outbox: deliveries written with the final states, claimed by one
/// dispatcher at a time (`FOR UPDATE SKIP LOCKED` under a lease), and their results.
extension PostgresTaskStore {
    /// Writes deliveries inside the caller's transaction, in one statement.
    static func insert(_ deliveries: [NewWebhookDelivery], on connection: PostgresConnection, logger: Logger) async throws {
        guard !deliveries.isEmpty else { return }
        _ = try await connection.query(
            """
            INSERT INTO agent_webhook_deliveries (task_id, url, event, payload, next_attempt_at, created_at)
            SELECT * , d.created_at FROM unnest(
                \(deliveries.map(\.taskID))::uuid[], \(deliveries.map(\.url))::text[], \(deliveries.map(\.event))::text[],
                \(deliveries.map(\.payload))::text[], \(deliveries.map(\.createdAt))::timestamptz[])
                AS d(task_id, url, event, payload, created_at)
            """,
            logger: logger
        ).collect()
    }

    public func claimDeliveries(limit: Int, dispatcherID: String, leaseUntil: Date, now: Date) async throws -> [WebhookDelivery] {
        try await client.query(
            """
            UPDATE agent_webhook_deliveries SET locked_by = \(dispatcherID), locked_until = \(leaseUntil)
            WHERE id = ANY(ARRAY(
                SELECT id FROM agent_webhook_deliveries
                WHERE status = 'pending' AND next_attempt_at <= \(now) AND (locked_until IS NULL OR locked_until < \(now))
                ORDER BY next_attempt_at LIMIT \(limit)
                FOR UPDATE SKIP LOCKED))
            RETURNING \(unescaped: Self.deliveryColumns)
            """,
            logger: logger
        ).collect().map(Self.delivery(from:))
    }

    public func recordDelivery(id: Int64, dispatcherID: String, result: WebhookAttemptResult) async throws {
        let (status, code, error, at, next): (WebhookDelivery.Status, Int?, String?, Date, Date?) =
            switch result {
            case .delivered(let code, let at): (.delivered, code, nil, at, nil)
            case .retry(let code, let error, let at, let retryAt): (.pending, code, error, at, retryAt)
            case .failed(let code, let error, let at): (.failed, code, error, at, nil)
            }
        _ = try await client.query(
            """
            UPDATE agent_webhook_deliveries
            SET status = \(status.rawValue), attempts = attempts + 1, last_status_code = \(code),
                last_error = \(error), delivered_at = CASE WHEN \(status.rawValue) = 'delivered' THEN \(at)::timestamptz END,
                next_attempt_at = COALESCE(\(next)::timestamptz, next_attempt_at), locked_by = NULL, locked_until = NULL
            WHERE id = \(id) AND locked_by = \(dispatcherID)
            """,
            logger: logger
        ).collect()
    }

    public func deliveries(taskID: UUID) async throws -> [WebhookDelivery] {
        try await client.query(
            "SELECT \(unescaped: Self.deliveryColumns) FROM agent_webhook_deliveries WHERE task_id = \(taskID) ORDER BY id",
            logger: logger
        ).collect().map(Self.delivery(from:))
    }

    private static let deliveryColumns = """
        id, task_id, url, event, payload, status, attempts, next_attempt_at, last_status_code, last_error, \
        created_at, delivered_at
        """

    private static func delivery(from row: PostgresRow) throws -> WebhookDelivery {
        var cells = PostgresColumnReader(row)
        let id: Int64 = try cells.next("id")
        let taskID: UUID = try cells.next("task_id")
        let url: String = try cells.next("url")
        let event: String = try cells.next("event")
        let payload: String = try cells.next("payload")
        let status: String = try cells.next("status")
        let attempts: Int = try cells.next("attempts")
        let nextAttemptAt: Date = try cells.next("next_attempt_at")
        let code: Int? = try cells.next("last_status_code")
        return WebhookDelivery(
            id: id, taskID: taskID, url: url, event: event, payload: payload,
            status: try WebhookDelivery.Status(rawValue: status).orThrow(StoreDecodingError(column: "status", value: status)),
            attempts: attempts, nextAttemptAt: nextAttemptAt, lastStatusCode: code,
            lastError: try cells.next("last_error"), createdAt: try cells.next("created_at"),
            deliveredAt: try cells.next("delivered_at"))
    }
}
