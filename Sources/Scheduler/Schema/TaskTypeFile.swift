import Foundation

/// The task-types file (`TASK_TYPES_FILE`): a JSON object whose `task_types` maps each
/// name to its declaration, e.g.
///
/// ```json
/// {"task_types": {"transcribe": {"remote": true, "description": "Transcribe a recording",
///   "max_retries": 5, "lease_seconds": 600, "concurrency": 4, "rate": "60/1m",
///   "context_schema": {"type": "object", "required": ["audio_url"],
///                      "properties": {"audio_url": {"type": "string"}}}}}}
/// ```
///
/// Every problem is a start-up error naming the file, the type and the field.
public enum TaskTypeFile {
    static let fields: Set<String> = ["remote", "description", "context_schema", "max_retries", "lease_seconds", "concurrency", "rate"]

    /// Reads and checks the file at `path`.
    public static func load(path: String) throws(ConfigurationError) -> [TaskTypeDeclaration] {
        let document = try JSONSettingsFile.read(path: path) { .taskTypesFile(path: path, problem: $0) }
        return try parse(document, path: path)
    }

    /// Checks a parsed file; `path` only names it in errors.
    public static func parse(_ document: JSONValue, path: String) throws(ConfigurationError) -> [TaskTypeDeclaration] {
        func problem(_ text: String) -> ConfigurationError { .taskTypesFile(path: path, problem: text) }
        guard case .object(let root) = document, case .object(let types)? = root["task_types"], root.count == 1 else {
            throw problem("must be a JSON object with one field, task_types, mapping each task type to its settings")
        }
        var declarations: [TaskTypeDeclaration] = []
        for (name, value) in types.sorted(by: { $0.key < $1.key }) {
            guard TaskTypeDeclaration.isValidName(name) else {
                throw problem("task type '\(name)' is not a valid name (1-100 letters, digits, _, - or .)")
            }
            guard case .object(let settings) = value else { throw problem("task_types.\(name) must be a JSON object") }
            if let unknown = settings.keys.filter({ !fields.contains($0) }).sorted().first {
                throw problem("task_types.\(name).\(unknown) is not a known field (known: \(fields.sorted().joined(separator: ", ")))")
            }
            var declaration = TaskTypeDeclaration(name: name, remote: false)
            switch settings["remote"] {
            case nil: break
            case .bool(let remote)?: declaration.remote = remote
            default: throw problem("task_types.\(name).remote must be true or false")
            }
            switch settings["description"] {
            case nil: break
            case .string(let text)?: declaration.description = text
            default: throw problem("task_types.\(name).description must be a string")
            }
            if let schema = settings["context_schema"] {
                do {
                    declaration.contextSchema = try JSONSchema(schema)
                } catch {
                    throw problem("task_types.\(name).context_schema: \(error.path.isEmpty ? "" : error.path + " ")\(error.problem)")
                }
            }
            declaration.maxRetries = try whole(settings["max_retries"], in: 0...100, "task_types.\(name).max_retries", path)
            declaration.lease = try whole(settings["lease_seconds"], in: 1...86_400, "task_types.\(name).lease_seconds", path)
                .map { .seconds($0) }
            let concurrency = try whole(settings["concurrency"], in: 1...100_000, "task_types.\(name).concurrency", path)
            var rate: TaskLimit.Rate?
            switch settings["rate"] {
            case nil: break
            case .string(let text)?:
                guard let parsed = TaskLimit.Rate(parsing: text) else {
                    throw problem("task_types.\(name).rate must be starts/period above zero, e.g. \"60/1m\", not '\(text)'")
                }
                rate = parsed
            default: throw problem("task_types.\(name).rate must be a string such as \"60/1m\"")
            }
            if concurrency != nil || rate != nil { declaration.limit = TaskLimit(concurrency: concurrency, rate: rate) }
            declarations.append(declaration)
        }
        return declarations
    }

    private static func whole(
        _ value: JSONValue?, in range: ClosedRange<Int>, _ field: String, _ path: String
    ) throws(ConfigurationError) -> Int? {
        guard let value else { return nil }
        guard case .number(let number) = value, number.rounded() == number,
            number >= Double(range.lowerBound), number <= Double(range.upperBound)
        else {
            throw .taskTypesFile(path: path, problem: "\(field) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return Int(number)
    }
}
