import Foundation

/// A webhook to send, written to the outbox in the transaction that ends its task.
package struct NewWebhookDelivery: Sendable, Hashable {
    package let taskID: UUID
    package let url: String
    package let event: String
    package let payload: String
    package let createdAt: Date

    /// The deliveries of the records that ended their tasks, to every URL that wants each.
    package static func deliveries(for records: [AttemptRecord], to subscriptions: WebhookSubscriptions) -> [NewWebhookDelivery] {
        records.flatMap { record -> [NewWebhookDelivery] in
            guard let payload = WebhookPayload(record) else { return [] }
            return make(payload, to: subscriptions.urls(for: record.task), at: record.finishedAt)
        }
    }

    /// The deliveries of a pending task cancelled before it ran.
    package static func deliveries(forCancelled task: AgentTask, at now: Date, to subscriptions: WebhookSubscriptions) -> [NewWebhookDelivery] {
        make(WebhookPayload(cancelled: task, at: now), to: subscriptions.urls(for: task), at: now)
    }

    private static func make(_ payload: WebhookPayload, to urls: [String], at now: Date) -> [NewWebhookDelivery] {
        guard !urls.isEmpty, let body = try? JSONText.encode(payload) else { return [] }
        return urls.map {
            NewWebhookDelivery(taskID: payload.task.id, url: $0, event: payload.event.rawValue, payload: body, createdAt: now)
        }
    }
}
