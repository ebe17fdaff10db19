import Foundation

/// What a handler supplies to publish a row of `events` for other workflows.
public struct NewEvent: Sendable, Hashable {
    public var eventType: String
    public var aggregateID: UUID?
    public var aggregateType: String?
    /// A JSON object.
    public var payloadJSON: String
    /// A JSON object, or `nil`.
    public var metadataJSON: String?
    public var createdBy: String
    /// A second publish with the same key returns the first event instead
    /// (``TaskInvocation/idempotencyKey(_:)``).
    public var idempotencyKey: String?

    public init(
        eventType: String, aggregateID: UUID?, aggregateType: String?, payloadJSON: String,
        metadataJSON: String? = nil, createdBy: String = "task_processor", idempotencyKey: String? = nil
    ) {
        self.idempotencyKey = idempotencyKey
        self.eventType = eventType
        self.aggregateID = aggregateID
        self.aggregateType = aggregateType
        self.payloadJSON = payloadJSON
        self.metadataJSON = metadataJSON
        self.createdBy = createdBy
    }
}
