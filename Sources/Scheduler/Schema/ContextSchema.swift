import Foundation

/// The JSON Schema of a task type's context, declared next to its handler's `Context`
/// type, so that an agent (through `GET /task-types` or an MCP tool) learns the exact
/// shape of what it may schedule and what to put in each field.
///
/// The schema describes what the handler's decoder and `validate` accept: fields the
/// decoder ignores are allowed, an optional field may be `null`. A test holds every
/// built-in schema to its `Context` with the sample tasks in `fixtures/`.
public struct ContextSchema: Sendable, Hashable {
    /// The schema as JSON (draft 2020-12, the keywords ``JSONSchema`` checks).
    public let document: JSONValue

    public init(document: JSONValue) {
        self.document = document
    }

    /// An object with these fields; other fields are allowed, as the decoder ignores them.
    public static func object(_ fields: [ContextField]) -> ContextSchema {
        var object: [String: JSONValue] = [
            "type": "object",
            "properties": .object(Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.schema) })),
        ]
        let required = fields.filter(\.required).map { JSONValue.string($0.name) }
        if !required.isEmpty { object["required"] = .array(required) }
        return ContextSchema(document: .object(object))
    }

    /// Any JSON object, described: for types that do not read their context.
    public static func anyObject(_ description: String) -> ContextSchema {
        ContextSchema(document: ["type": "object", "description": .string(description)])
    }
}

/// One field of a ``ContextSchema``: its name, whether it must be present, and the
/// schema of its value with a description that tells an agent what to put there.
public struct ContextField: Sendable, Hashable {
    public let name: String
    public let required: Bool
    public let schema: JSONValue

    init(_ name: String, required: Bool, _ type: String, _ description: String, _ rules: [String: JSONValue] = [:]) {
        self.name = name
        self.required = required
        var schema = rules
        // The decoder reads an optional field that is null as absent.
        schema["type"] = required ? .string(type) : [.string(type), "null"]
        schema["description"] = .string(description)
        self.schema = .object(schema)
    }

    /// A string; `nonBlank` refuses one of only white space.
    public static func string(
        _ name: String, _ description: String, required: Bool = false, nonBlank: Bool = false, maxLength: Int? = nil
    ) -> ContextField {
        var rules: [String: JSONValue] = [:]
        if nonBlank { rules["pattern"] = "\\S" }
        if let maxLength { rules["maxLength"] = .number(Double(maxLength)) }
        return ContextField(name, required: required, "string", description, rules)
    }

    /// A whole number, at least `minimum` and at most `maximum` when given.
    public static func integer(
        _ name: String, _ description: String, required: Bool = false, minimum: Int? = nil, maximum: Int? = nil
    ) -> ContextField {
        var rules: [String: JSONValue] = [:]
        if let minimum { rules["minimum"] = .number(Double(minimum)) }
        if let maximum { rules["maximum"] = .number(Double(maximum)) }
        return ContextField(name, required: required, "integer", description, rules)
    }

    /// A number above `above` and at most `atMost`, when given.
    public static func number(
        _ name: String, _ description: String, required: Bool = false, above: Double? = nil, atMost: Double? = nil
    ) -> ContextField {
        var rules: [String: JSONValue] = [:]
        if let above { rules["exclusiveMinimum"] = .number(above) }
        if let atMost { rules["maximum"] = .number(atMost) }
        return ContextField(name, required: required, "number", description, rules)
    }

    /// `true` or `false`.
    public static func boolean(_ name: String, _ description: String, required: Bool = false) -> ContextField {
        ContextField(name, required: required, "boolean", description)
    }

    /// A UUID in its usual text form.
    public static func uuid(_ name: String, _ description: String, required: Bool = false) -> ContextField {
        ContextField(name, required: required, "string", description, [
            "format": "uuid",
            "pattern": "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$",
        ])
    }

    /// An object of at least one entry whose keys come from `keys` and whose values are
    /// strings or `null`.
    public static func stringMap(
        _ name: String, _ description: String, keys: [String], required: Bool = false
    ) -> ContextField {
        let value: JSONValue = ["type": ["string", "null"]]
        return ContextField(name, required: required, "object", description, [
            "properties": .object(Dictionary(uniqueKeysWithValues: keys.map { ($0, value) })),
            "additionalProperties": false,
            "minProperties": 1,
        ])
    }
}
