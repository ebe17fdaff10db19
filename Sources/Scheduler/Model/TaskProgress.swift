import Foundation

/// How far a running attempt has got, as its handler last reported: stored on the task
/// (`progress_json`), shown by `GET /tasks/{id}` and `tasks show`, and streamed as
/// `task.progress`.
public struct TaskProgress: Sendable, Hashable, Codable {
    /// From 0 (just started) to 1 (done).
    public var fraction: Double
    /// What the handler is doing, for people (at most ``messageLimit`` characters).
    public var message: String?
    /// Small structured data for programs (at most ``dataLimit`` bytes of JSON).
    public var data: JSONValue?
    /// The attempt that reported it.
    public var attempt: Int
    /// When it was reported.
    public var updatedAt: Date

    /// The longest message kept; longer ones are cut.
    public static let messageLimit = 500
    /// The most bytes of JSON data kept; larger data is refused.
    public static let dataLimit = 4_096

    public init(fraction: Double, message: String? = nil, data: JSONValue? = nil, attempt: Int, updatedAt: Date) {
        self.fraction = fraction.isFinite ? min(1, max(0, fraction)) : 0
        self.message = message.map { String($0.prefix(Self.messageLimit)) }
        self.data = data
        self.attempt = attempt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case fraction, message, data, attempt
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(fraction, forKey: .fraction)
        try container.encodeIfPresent(message, forKey: .message)
        try container.encodeIfPresent(data, forKey: .data)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(Timestamp.string(from: updatedAt), forKey: .updatedAt)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let stamp = try container.decode(String.self, forKey: .updatedAt)
        self.init(
            fraction: try container.decode(Double.self, forKey: .fraction),
            message: try container.decodeIfPresent(String.self, forKey: .message),
            data: try container.decodeIfPresent(JSONValue.self, forKey: .data),
            attempt: try container.decode(Int.self, forKey: .attempt),
            updatedAt: try Timestamp.date(from: stamp).orThrow(
                DecodingError.dataCorruptedError(forKey: .updatedAt, in: container, debugDescription: "not a timestamp: \(stamp)")))
    }

    /// The JSON text stored in `progress_json` (a NUL a handler passed on becomes U+FFFD).
    package var json: String { StoredText.json((try? JSONText.encode(self)) ?? "{}") }

    /// Reads `progress_json`; `nil` for text that is not such an object.
    init?(json: String) {
        guard let value = try? JSONDecoder().decode(TaskProgress.self, from: Data(json.utf8)) else { return nil }
        self = value
    }
}
