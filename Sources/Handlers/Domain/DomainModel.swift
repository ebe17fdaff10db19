import Foundation

/// A person the agents talk to: a row of `users`.
public struct User: Sendable, Hashable {
    public var id: UUID
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var verified: Bool

    public init(id: UUID, firstName: String? = nil, lastName: String? = nil, email: String? = nil, verified: Bool = false) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.verified = verified
    }
}

/// The state of a conversation between a user and the agents.
public enum ConversationStatus: String, Sendable, Codable {
    case active, paused, closed
}

/// A row of `conversations`.
public struct Conversation: Sendable, Hashable {
    public var id: UUID
    public var userID: UUID
    public var status: ConversationStatus
}

/// Which way a message travels: from the user (`inbound`) or to the user (`outbound`).
public enum MessageDirection: String, Sendable, Codable {
    case inbound, outbound
}

/// Who a message speaks for: the user, an agent, or the system prompting an agent.
public enum MessageRole: String, Sendable, Codable {
    case user, agent, system
}

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

/// What a handler supplies to insert a message.
public struct NewMessage: Sendable, Hashable {
    public var conversationID: UUID
    public var userID: UUID
    public var role: MessageRole
    public var content: String
    public var direction: MessageDirection
    /// `pending` until a sender (another service) delivers it.
    public var status: String = "pending"

    public init(conversationID: UUID, userID: UUID, role: MessageRole, content: String, direction: MessageDirection) {
        self.conversationID = conversationID
        self.userID = userID
        self.role = role
        self.content = content
        self.direction = direction
    }
}

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

    public init(
        eventType: String, aggregateID: UUID?, aggregateType: String?, payloadJSON: String,
        metadataJSON: String? = nil, createdBy: String = "task_processor"
    ) {
        self.eventType = eventType
        self.aggregateID = aggregateID
        self.aggregateType = aggregateType
        self.payloadJSON = payloadJSON
        self.metadataJSON = metadataJSON
        self.createdBy = createdBy
    }
}
