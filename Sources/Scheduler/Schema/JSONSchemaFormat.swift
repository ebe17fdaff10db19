import Foundation

/// The `format`s a context schema may name, checked on strings as JSON Schema's format
/// assertion does; any other format is refused when the schema loads, so that a schema
/// never silently checks less than its author meant.
enum JSONSchemaFormat: String, CaseIterable, Sendable, Hashable {
    case uri
    case dateTime = "date-time"
    case email
    case uuid

    /// How an error names it: "a URI", "a date-time (ISO 8601)".
    var description: String {
        switch self {
        case .uri: "a URI"
        case .dateTime: "a date-time (ISO 8601, e.g. 2026-12-07T09:00:00Z)"
        case .email: "an email address"
        case .uuid: "a UUID"
        }
    }

    /// Whether `text` is of this format.
    func accepts(_ text: String) -> Bool {
        switch self {
        case .uri:
            guard let components = URLComponents(string: text), let scheme = components.scheme else { return false }
            return !scheme.isEmpty && text.count <= 8_000
        case .dateTime:
            return Timestamp.date(from: text) != nil
        case .email:
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
                && !parts[1].hasSuffix(".") && !text.contains(where: \.isWhitespace)
        case .uuid:
            return UUID(uuidString: text) != nil
        }
    }
}
