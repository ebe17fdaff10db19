/// A webhook URL that cannot be used: not http(s), malformed, or (unless private
/// addresses are allowed) one that reaches this machine or its private network.
public struct WebhookURLError: Error, Sendable, Hashable, CustomStringConvertible {
    public let url: String
    public let problem: String

    public var description: String { "webhook URL '\(url)' \(problem)" }
}
