import Foundation

/// Who a message speaks for: the user, an agent, or the system prompting an agent.
public enum MessageRole: String, Sendable, Codable {
    case user, agent, system
}
