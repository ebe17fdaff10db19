import Foundation

/// What a handler supplies to insert a message.
public struct NewMessage: Sendable, Hashable {
    public var conversationID: UUID
    public var userID: UUID
    public var role: MessageRole
    public var content: String
    public var direction: MessageDirection
    /// `pending` until a sender (another service) delivers it.
    public var status: String = "pending"
    /// A second insert with the same key returns the first message instead
    /// (``TaskInvocation/idempotencyKey(_:)``).
    public var idempotencyKey: String?

    public init(
        conversationID: UUID, userID: UUID, role: MessageRole, content: String, direction: MessageDirection,
        idempotencyKey: String? = nil
    ) {
        self.conversationID = conversationID
        self.userID = userID
        self.role = role
        self.content = content
        self.direction = direction
        self.idempotencyKey = idempotencyKey
    }
}
