import Foundation
import Scheduler
import Yams

/// `openapi.yaml`, read so tests can hold the live API to it: every route documented,
/// every documented operation routed, and every response body matching its schema.
struct OpenAPIContract: @unchecked Sendable {
    let document: [String: Any]

    static func load() throws -> OpenAPIContract {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("openapi.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        guard let document = try Yams.load(yaml: text) as? [String: Any] else { throw ContractError("openapi.yaml is not a map") }
        return OpenAPIContract(document: document)
    }

    struct ContractError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    private var paths: [String: Any] { document["paths"] as? [String: Any] ?? [:] }

    /// Every documented operation as `METHOD /path/{param}`.
    var operations: Set<String> {
        Set(paths.flatMap { path, value in
            ((value as? [String: Any]) ?? [:]).keys.map { "\($0.uppercased()) \(path)" }
        })
    }

    /// The documented path template a concrete path matches, e.g. `/tasks/{id}`; a path
    /// spelt out in full (`/tasks/batch`) wins over a template it also fits.
    func template(for path: String) -> String? {
        let segments = path.split(separator: "/")
        return paths.keys.filter { template in
            let parts = template.split(separator: "/")
            return parts.count == segments.count
                && zip(parts, segments).allSatisfy { part, segment in part.hasPrefix("{") || part == segment }
        }.min { $0.filter { $0 == "{" }.count < $1.filter { $0 == "{" }.count }
    }

    /// The problems with a response, or none when it is documented and matches its schema.
    func problems(method: String, path: String, status: Int, body: String) -> [String] {
        guard let template = template(for: path) else { return ["\(path) is not documented"] }
        let operation = (paths[template] as? [String: Any])?[method.lowercased()] as? [String: Any]
        guard let responses = operation?["responses"] as? [String: Any] else {
            return ["\(method) \(template) is not documented"]
        }
        guard var response = responses["\(status)"] as? [String: Any] else {
            return ["\(method) \(template) does not document status \(status)"]
        }
        response = resolve(response)
        let content = response["content"] as? [String: Any] ?? [:]
        // A response documented without a body (a redirect) must have none.
        if content.isEmpty { return body.isEmpty ? [] : ["\(method) \(template) \(status) has an undocumented body"] }
        // A stream or text body is documented by its media type; its events are checked
        // one by one with ``problems(schema:value:)``.
        if content["application/json"] == nil, !content.isEmpty { return [] }
        guard let schema = (content["application/json"] as? [String: Any])?["schema"] as? [String: Any]
        else { return ["\(method) \(template) \(status) has no JSON schema"] }
        guard let value = JSONValue(parsing: body) else { return ["\(method) \(template) \(status): body is not JSON"] }
        var problems: [String] = []
        check(value, against: schema, at: "\(method) \(template) \(status) body", problems: &problems)
        return problems
    }

    /// The media types documented for a response, e.g. `text/event-stream`.
    func mediaTypes(method: String, path: String, status: Int) -> Set<String> {
        guard let template = template(for: path),
            let operation = (paths[template] as? [String: Any])?[method.lowercased()] as? [String: Any],
            let response = (operation["responses"] as? [String: Any])?["\(status)"] as? [String: Any]
        else { return [] }
        return Set(((resolve(response)["content"] as? [String: Any]) ?? [:]).keys)
    }

    /// The problems of `text` (JSON) against the schema `components/schemas/<name>`.
    func problems(schema name: String, text: String) -> [String] {
        guard let value = JSONValue(parsing: text) else { return ["\(name): not JSON: \(text)"] }
        var problems: [String] = []
        check(value, against: ["$ref": "#/components/schemas/\(name)"], at: name, problems: &problems)
        return problems
    }

    private func resolve(_ object: [String: Any]) -> [String: Any] {
        guard let reference = object["$ref"] as? String else { return object }
        var node: Any = document
        for key in reference.dropFirst(2).split(separator: "/") {
            node = (node as? [String: Any])?[String(key)] ?? [:]
        }
        return resolve(node as? [String: Any] ?? [:])
    }

    private func check(_ value: JSONValue, against rawSchema: [String: Any], at location: String, problems: inout [String]) {
        let schema = resolve(rawSchema)
        if case .null = value {
            if schema["nullable"] as? Bool != true, schema["type"] != nil { problems.append("\(location) is null") }
            return
        }
        if let allowed = schema["enum"] as? [String] {
            guard case .string(let text) = value, allowed.contains(text) else {
                problems.append("\(location) is \(value), not one of \(allowed)")
                return
            }
        }
        switch (schema["type"] as? String, value) {
        case (nil, _): return
        case ("string", .string), ("boolean", .bool), ("number", .number): return
        case ("integer", .number(let number)) where number.rounded() == number: return
        case ("array", .array(let items)):
            if let itemSchema = schema["items"] as? [String: Any] {
                for (index, item) in items.enumerated() {
                    check(item, against: itemSchema, at: "\(location)[\(index)]", problems: &problems)
                }
            }
        case ("object", .object(let object)):
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(location) lacks required '\(key)'")
            }
            for (key, property) in object {
                guard let propertySchema = properties[key] as? [String: Any] else {
                    problems.append("\(location) has undocumented '\(key)'")
                    continue
                }
                check(property, against: propertySchema, at: "\(location).\(key)", problems: &problems)
            }
        case (let type?, _):
            problems.append("\(location) should be \(type), is \(value)")
        }
    }
}
