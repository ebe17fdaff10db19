import Foundation
import Scheduler

/// The API's JSON turned into what Mustache renders: objects as dictionaries, whole
/// numbers without a fraction, `null` left out (so `{{#field}}` sections skip it), and
/// stored JSON text indented for reading.
enum DashboardValues {
    /// The fields of a JSON object; anything else gives none.
    static func fields(_ value: JSONValue) -> [String: Any] {
        guard case .object(let object) = value else { return [:] }
        return object.compactMapValues(plain)
    }

    private static func plain(_ value: JSONValue) -> Any? {
        switch value {
        case .null: nil
        case .bool(let bool): bool
        case .number(let number): number.rounded() == number && abs(number) < 1e15 ? Int(number) as Any : number as Any
        case .string(let string): string
        case .array(let items): items.compactMap(plain)
        case .object(let object): object.compactMapValues(plain)
        }
    }

    /// JSON text indented with sorted keys; text that is not JSON as it is.
    static func pretty(_ text: String) -> String {
        guard let data = text.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
            let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return text }
        // Foundation prints an empty object over three lines.
        if let empty = object as? [String: Any], empty.isEmpty { return "{}" }
        if let empty = object as? [Any], empty.isEmpty { return "[]" }
        return String(decoding: pretty, as: UTF8.self)
    }
}
