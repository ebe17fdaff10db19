import Foundation

/// A row of `messages`.
public struct Message: Sendable, Hashable {
    public var id: UUID
    public var conversationID: UUID
    public var userID: UUID
    public var role: MessageRole
    public var content: String
    public var direction: MessageDirection
    public var status: String
    public var createdAt: Date
}
