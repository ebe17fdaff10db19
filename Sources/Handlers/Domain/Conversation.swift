import Foundation

/// A row of `conversations`.
public struct Conversation: Sendable, Hashable {
    public var id: UUID
    public var userID: UUID
    public var status: ConversationStatus
}
