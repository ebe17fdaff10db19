import Foundation

/// Which way a message travels: from the user (`inbound`) or to the user (`outbound`).
public enum MessageDirection: String, Sendable, Codable {
    case inbound, outbound
}
