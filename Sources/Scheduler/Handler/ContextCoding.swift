import Foundation

/// Turns a task's `context_json` into a handler's typed context, with errors that name
/// the offending field, and the handler's result back into JSON text.
enum ContextCoding {
    /// Decodes `json` into `Context`, or throws a `HandlerError.permanent` whose message
    /// names the field that is missing or has the wrong type. Where the decoder cannot
    /// say which field it refused (Foundation reports a fractional number for an `Int`
    /// as "not valid JSON"), `schema` names it.
    static func decode<Context: Decodable>(_ type: Context.Type, from json: String, schema: JSONSchema? = nil) throws -> Context {
        let data = Data(json.utf8)
        // The usual case, an object that fits, is parsed once. Anything else is parsed
        // again to say exactly what is wrong: not JSON, not an object, or which field.
        if data.first(where: { !Self.whitespace.contains($0) }) == UInt8(ascii: "{"),
            let context = try? decoder.decode(Context.self, from: data)
        {
            return context
        }
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw HandlerError.permanent("context_json is not valid JSON")
        }
        guard object is [String: Any] else {
            throw HandlerError.permanent("context_json must be a JSON object, not \(jsonKind(object))")
        }
        do {
            return try decoder.decode(Context.self, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, let schema,
                let value = JSONValue(parsing: json), let problem = schema.problem(with: value, at: "context")
            {
                let field = problem.path.dropFirst("context.".count)
                throw HandlerError.permanent("context field '\(field)' \(problem.problem)")
            }
            throw HandlerError.permanent(describe(error))
        }
    }

    /// The bytes JSON allows around a value.
    private static let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]

    /// Encodes a handler result as compact JSON text with sorted keys.
    static func encode<Result: Encodable>(_ result: Result) throws -> String {
        try JSONText.encode(result)
    }

    /// A one-line account of a decoding error that names the field.
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            "context field '\(path(context.codingPath + [key]))' is missing"
        case .valueNotFound(let type, let context):
            "context field '\(path(context.codingPath))' is null, expected \(typeName(type))"
        case .typeMismatch(let type, let context):
            "context field '\(path(context.codingPath))' has the wrong type, expected \(typeName(type))"
        case .dataCorrupted(let context):
            context.codingPath.isEmpty
                ? "context is malformed: \(context.debugDescription)"
                : "context field '\(path(context.codingPath))' is invalid: \(context.debugDescription)"
        @unknown default:
            "context does not match the handler's type"
        }
    }

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
            .joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "a boolean"
        case is UUID.Type: "a UUID string"
        case is Date.Type: "an ISO 8601 date"
        default: "\(type)"
        }
    }

    private static func jsonKind(_ value: Any) -> String {
        switch value {
        case is [Any]: "an array"
        case is String: "a string"
        case is NSNumber: "a number"
        case is NSNull: "null"
        default: "a scalar"
        }
    }
}
