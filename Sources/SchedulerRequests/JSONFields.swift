import Foundation
import Scheduler

/// Typed reads of the fields of a JSON object, each failing with a 422 that names the
/// field, and a check that no unknown field was sent.
package struct JSONFields {
    package let object: [String: JSONValue]

    package init(object: [String: JSONValue]) {
        self.object = object
    }

    /// Rejects fields outside `known`, so a misspelt field is not silently ignored.
    package func rejectUnknown(_ known: Set<String>) throws {
        if let unknown = object.keys.filter({ !known.contains($0) }).sorted().first {
            throw APIError.invalidField(unknown, "is not a known field (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    package func string(_ name: String, maxLength: Int = 10_000) throws -> String? {
        switch object[name] {
        case nil, .null?: return nil
        case .string(let text)?:
            guard text.count <= maxLength else { throw APIError.invalidField(name, "is longer than \(maxLength) characters") }
            return text
        default: throw APIError.invalidField(name, "must be a string")
        }
    }

    package func requiredString(_ name: String, maxLength: Int = 10_000) throws -> String {
        guard let text = try string(name, maxLength: maxLength), !text.isEmpty else {
            throw APIError.invalidField(name, "is required")
        }
        return text
    }

    package func uuid(_ name: String) throws -> UUID? {
        guard let text = try string(name) else { return nil }
        guard let id = UUID(uuidString: text) else { throw APIError.invalidField(name, "must be a UUID") }
        return id
    }

    package func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        switch object[name] {
        case nil, .null?: return nil
        case .number(let number)?:
            guard number.rounded() == number, number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
                throw APIError.invalidField(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return Int(number)
        default: throw APIError.invalidField(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
    }

    func date(_ name: String) throws -> Date? {
        guard let text = try string(name) else { return nil }
        guard let date = Timestamp.date(from: text) else {
            throw APIError.invalidField(name, "must be an ISO 8601 date-time such as 2026-11-24T09:00:00Z")
        }
        return date
    }

    package func enumeration<Value: RawRepresentable & CaseIterable>(_ name: String, _ type: Value.Type) throws -> Value?
    where Value.RawValue == String {
        guard let text = try string(name) else { return nil }
        guard let value = Value(rawValue: text) else {
            throw APIError.invalidField(name, "must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// A JSON object field, returned as JSON text.
    package func objectText(_ name: String) throws -> String? {
        switch object[name] {
        case nil, .null?: return nil
        case .object(let value)?:
            return try JSONText.encode(JSONValue.object(value))
        default: throw APIError.invalidField(name, "must be a JSON object")
        }
    }
}
