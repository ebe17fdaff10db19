import Foundation

/// A webhook delivery as `GET /tasks/{id}` and `tasks show` show it: where it goes, and
/// how sending it went (the body sent is left out: it is the task's final state).
struct WebhookDeliveryRepresentation: Encodable {
    let delivery: WebhookDelivery

    init(_ delivery: WebhookDelivery) { self.delivery = delivery }

    enum CodingKeys: String, CodingKey {
        case id, url, event, status, attempts
        case nextAttemptAt = "next_attempt_at"
        case lastStatusCode = "last_status_code"
        case lastError = "last_error"
        case createdAt = "created_at"
        case deliveredAt = "delivered_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(delivery.id, forKey: .id)
        try container.encode(delivery.url, forKey: .url)
        try container.encode(delivery.event, forKey: .event)
        try container.encode(delivery.status, forKey: .status)
        try container.encode(delivery.attempts, forKey: .attempts)
        if delivery.status == .pending {
            try container.encode(Timestamp.string(from: delivery.nextAttemptAt), forKey: .nextAttemptAt)
        }
        try container.encodeIfPresent(delivery.lastStatusCode, forKey: .lastStatusCode)
        try container.encodeIfPresent(delivery.lastError, forKey: .lastError)
        try container.encode(Timestamp.string(from: delivery.createdAt), forKey: .createdAt)
        try container.encodeIfPresent(delivery.deliveredAt.map(Timestamp.string(from:)), forKey: .deliveredAt)
    }
}
