import Foundation

/// A JSON Schema (the subset of draft 2020-12 that describes a task's context) that
/// checks values and says which field is wrong, so a remote task type's context is
/// refused at enqueue time with the field named.
///
/// Supported: `type` (one or a list), `properties`, `required`, `additionalProperties`
/// (true, false or a schema), `items`, `enum`, `const`, `minimum`, `maximum`,
/// `exclusiveMinimum`, `exclusiveMaximum`, `minLength`, `maxLength`, `pattern`,
/// `minItems`, `maxItems`, `minProperties`, `maxProperties`, `format` (`uri`, `date-time`,
/// `email`, `uuid`, checked); annotations (`$schema`, `$id`, `title`, `description`,
/// `default`, `examples`) are allowed and not checked. Any other keyword or format is
/// refused when the schema is loaded, so a schema never silently checks less than its
/// author meant.
public struct JSONSchema: Sendable, Hashable {
    /// The schema as written, for showing it back (`GET /task-types`).
    public let document: JSONValue
    private let rules: [Rule]

    private indirect enum Rule: Sendable, Hashable {
        case types(Set<String>)
        case properties([String: JSONSchema])
        case required([String])
        case additionalProperties(allowed: Bool, schema: JSONSchema?, known: Set<String>)
        case items(JSONSchema)
        case oneOf(values: [JSONValue])
        case minimum(Double, exclusive: Bool)
        case maximum(Double, exclusive: Bool)
        case minLength(Int)
        case maxLength(Int)
        case pattern(String)
        case minItems(Int)
        case maxItems(Int)
        case minProperties(Int)
        case maxProperties(Int)
        case format(JSONSchemaFormat)
    }

    private static let annotations: Set<String> = [
        "$schema", "$id", "$comment", "title", "description", "default", "examples",
    ]
    private static let typeNames: Set<String> = ["object", "array", "string", "number", "integer", "boolean", "null"]

    /// Any JSON object: the context schema of a type declared without one.
    public static let anyObject = JSONSchema(document: ["type": "object"], rules: [.types(["object"])])

    private init(document: JSONValue, rules: [Rule]) {
        self.document = document
        self.rules = rules
    }

    /// Reads a schema; the error names the keyword (with its path) that cannot be used.
    public init(_ document: JSONValue, at path: String = "") throws(JSONSchemaError) {
        guard case .object(let object) = document else { throw JSONSchemaError(path: path, problem: "a schema must be a JSON object") }
        self.document = document
        var rules: [Rule] = []
        for (keyword, value) in object.sorted(by: { $0.key < $1.key }) {
            let here = path.isEmpty ? keyword : "\(path).\(keyword)"
            func number() throws(JSONSchemaError) -> Double {
                guard case .number(let number) = value else { throw JSONSchemaError(path: here, problem: "must be a number") }
                return number
            }
            func count() throws(JSONSchemaError) -> Int {
                let number = try number()
                guard number >= 0, number.rounded() == number else {
                    throw JSONSchemaError(path: here, problem: "must be a whole number, 0 or more")
                }
                return Int(number)
            }
            switch keyword {
            case _ where Self.annotations.contains(keyword): continue
            case "type":
                let names: [JSONValue] = if case .array(let list) = value { list } else { [value] }
                var types: Set<String> = []
                for name in names {
                    guard case .string(let type) = name, Self.typeNames.contains(type) else {
                        throw JSONSchemaError(path: here, problem: "must name types among \(Self.typeNames.sorted().joined(separator: ", "))")
                    }
                    types.insert(type)
                }
                rules.append(.types(types))
            case "properties":
                guard case .object(let properties) = value else { throw JSONSchemaError(path: here, problem: "must be an object of schemas") }
                var schemas: [String: JSONSchema] = [:]
                for (name, schema) in properties { schemas[name] = try JSONSchema(schema, at: "\(here).\(name)") }
                rules.append(.properties(schemas))
            case "required":
                guard case .array(let names) = value else { throw JSONSchemaError(path: here, problem: "must be an array of field names") }
                rules.append(.required(try names.map { name throws(JSONSchemaError) in
                    guard case .string(let field) = name else { throw JSONSchemaError(path: here, problem: "must be an array of field names") }
                    return field
                }))
            case "additionalProperties":
                let known: Set<String> = if case .object(let properties)? = object["properties"] { Set(properties.keys) } else { [] }
                switch value {
                case .bool(let allowed): rules.append(.additionalProperties(allowed: allowed, schema: nil, known: known))
                default: rules.append(.additionalProperties(allowed: true, schema: try JSONSchema(value, at: here), known: known))
                }
            case "items": rules.append(.items(try JSONSchema(value, at: here)))
            case "enum":
                guard case .array(let values) = value else { throw JSONSchemaError(path: here, problem: "must be an array of values") }
                rules.append(.oneOf(values: values))
            case "const": rules.append(.oneOf(values: [value]))
            case "minimum": rules.append(.minimum(try number(), exclusive: false))
            case "exclusiveMinimum": rules.append(.minimum(try number(), exclusive: true))
            case "maximum": rules.append(.maximum(try number(), exclusive: false))
            case "exclusiveMaximum": rules.append(.maximum(try number(), exclusive: true))
            case "minLength": rules.append(.minLength(try count()))
            case "maxLength": rules.append(.maxLength(try count()))
            case "minItems": rules.append(.minItems(try count()))
            case "maxItems": rules.append(.maxItems(try count()))
            case "minProperties": rules.append(.minProperties(try count()))
            case "maxProperties": rules.append(.maxProperties(try count()))
            case "format":
                guard case .string(let name) = value, let format = JSONSchemaFormat(rawValue: name) else {
                    throw JSONSchemaError(
                        path: here,
                        problem: "must be a format this scheduler checks: \(JSONSchemaFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                rules.append(.format(format))
            case "pattern":
                guard case .string(let pattern) = value, (try? NSRegularExpression(pattern: pattern)) != nil else {
                    throw JSONSchemaError(path: here, problem: "must be a valid regular expression")
                }
                rules.append(.pattern(pattern))
            default:
                throw JSONSchemaError(
                    path: here,
                    problem: "is not a keyword this scheduler checks (use type, properties, required, additionalProperties, items, enum, const, minimum, maximum, exclusiveMinimum, exclusiveMaximum, minLength, maxLength, pattern, format, minItems, maxItems, minProperties, maxProperties)")
            }
        }
        self.rules = rules
    }

    /// The first problem of `value`, named by its path under `path` (e.g.
    /// `context.language`), or `nil` when it conforms.
    public func problem(with value: JSONValue, at path: String) -> JSONSchemaError? {
        for rule in rules {
            if let problem = Self.check(rule, value, path) { return problem }
        }
        return nil
    }

    private static func check(_ rule: Rule, _ value: JSONValue, _ path: String) -> JSONSchemaError? {
        func fail(_ problem: String) -> JSONSchemaError { JSONSchemaError(path: path, problem: problem) }
        switch (rule, value) {
        case (.types(let types), _):
            return types.contains(where: { matches(value, type: $0) }) ? nil : fail("must be \(types.sorted().joined(separator: " or "))")
        case (.properties(let schemas), .object(let object)):
            for (name, schema) in schemas.sorted(by: { $0.key < $1.key }) {
                if let field = object[name], let problem = schema.problem(with: field, at: "\(path).\(name)") { return problem }
            }
            return nil
        case (.required(let names), .object(let object)):
            return names.first { object[$0] == nil }.map { JSONSchemaError(path: "\(path).\($0)", problem: "is required") }
        case (.additionalProperties(let allowed, let schema, let known), .object(let object)):
            for (name, field) in object.sorted(by: { $0.key < $1.key }) where !known.contains(name) {
                guard allowed else { return JSONSchemaError(path: "\(path).\(name)", problem: "is not a known field") }
                if let problem = schema?.problem(with: field, at: "\(path).\(name)") { return problem }
            }
            return nil
        case (.items(let schema), .array(let items)):
            for (index, item) in items.enumerated() {
                if let problem = schema.problem(with: item, at: "\(path)[\(index)]") { return problem }
            }
            return nil
        case (.oneOf(let values), _):
            return values.contains(value) ? nil : fail("must be one of \(values.map(describe).joined(separator: ", "))")
        case (.minimum(let limit, let exclusive), .number(let number)):
            return (exclusive ? number > limit : number >= limit) ? nil : fail("must be \(exclusive ? "more than" : "at least") \(describe(.number(limit)))")
        case (.maximum(let limit, let exclusive), .number(let number)):
            return (exclusive ? number < limit : number <= limit) ? nil : fail("must be \(exclusive ? "less than" : "at most") \(describe(.number(limit)))")
        case (.minLength(let limit), .string(let text)):
            return text.count >= limit ? nil : fail("must be at least \(limit) characters long")
        case (.maxLength(let limit), .string(let text)):
            return text.count <= limit ? nil : fail("must be at most \(limit) characters long")
        case (.format(let format), .string(let text)):
            return format.accepts(text) ? nil : fail("must be \(format.description)")
        case (.pattern(let pattern), .string(let text)):
            let regex = try? NSRegularExpression(pattern: pattern)
            let range = NSRange(text.startIndex..., in: text)
            return regex?.firstMatch(in: text, range: range) != nil ? nil : fail("must match the pattern \(pattern)")
        case (.minItems(let limit), .array(let items)):
            return items.count >= limit ? nil : fail("must have at least \(limit) items")
        case (.maxItems(let limit), .array(let items)):
            return items.count <= limit ? nil : fail("must have at most \(limit) items")
        case (.minProperties(let limit), .object(let object)):
            return object.count >= limit ? nil : fail("must have at least \(limit) field\(limit == 1 ? "" : "s")")
        case (.maxProperties(let limit), .object(let object)):
            return object.count <= limit ? nil : fail("must have at most \(limit) field\(limit == 1 ? "" : "s")")
        default:
            // A rule about another kind of value (e.g. maxLength of a number) does not apply.
            return nil
        }
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
            ("number", .number):
            true
        case ("integer", .number(let number)): number.rounded() == number
        default: false
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        (try? JSONText.encode(value)) ?? "\(value)"
    }
}

/// What is wrong with a schema or with a value a schema checks, and where.
public struct JSONSchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path of the keyword or field, e.g. `properties.language.type` or `context.language`.
    public let path: String
    public let problem: String

    public var description: String { "\(path) \(problem)" }
}
