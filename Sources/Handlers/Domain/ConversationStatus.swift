import Foundation

/// The state of a conversation between a user and the agents.
public enum ConversationStatus: String, Sendable, Codable {
    case active, paused, closed
}
