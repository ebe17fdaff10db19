import Foundation

/// One webhook of the outbox: where it goes, what it says, and how sending it went.
/// `GET /tasks/{id}` shows a task's deliveries; the dispatcher claims pending ones.
public struct WebhookDelivery: Sendable, Hashable {
    /// Where a delivery stands.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Not sent yet, or to be sent again at `nextAttemptAt`.
        case pending
        /// The receiver answered 2xx.
        case delivered
        /// Given up: refused by the address policy, or unanswered for the retry window.
        case failed
    }

    public var id: Int64
    public var taskID: UUID
    public var url: String
    public var event: String
    public var payload: String
    public var status: Status
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastStatusCode: Int?
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?

    public init(
        id: Int64, taskID: UUID, url: String, event: String, payload: String, status: Status, attempts: Int,
        nextAttemptAt: Date, lastStatusCode: Int?, lastError: String?, createdAt: Date, deliveredAt: Date?
    ) {
        self.id = id
        self.taskID = taskID
        self.url = url
        self.event = event
        self.payload = payload
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastStatusCode = lastStatusCode
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }
}

/// How one send of a delivery went, as the dispatcher records it.
public enum WebhookAttemptResult: Sendable, Hashable {
    /// The receiver answered 2xx.
    case delivered(statusCode: Int, at: Date)
    /// It failed (`statusCode` if the receiver answered) and is sent again at `retryAt`.
    case retry(statusCode: Int?, error: String, at: Date, retryAt: Date)
    /// It failed for good.
    case failed(statusCode: Int?, error: String, at: Date)
}
