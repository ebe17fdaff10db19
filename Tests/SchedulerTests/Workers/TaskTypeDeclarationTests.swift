import Configuration
import Foundation
import Testing

@testable import Scheduler

/// Declaring task types: `REMOTE_TASK_TYPES`, the task-types file, and the checks that
/// stop start-up with a message naming the problem.
@Suite("Task-type declarations", .timeLimit(.minutes(5)))
struct TaskTypeDeclarationTests {
    func configuration(_ environment: [String: String]) throws(ConfigurationError) -> SchedulerConfiguration {
        try SchedulerConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("task-types-\(UUID().uuidString).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("REMOTE_TASK_TYPES and the file declare remote types with their defaults")
    func declared() throws {
        let path = try file("""
            {"task_types": {"transcribe": {"remote": true, "max_retries": 5, "lease_seconds": 600,
              "context_schema": {"type": "object", "required": ["audio_url"]}},
              "noop": {"max_retries": 0}}}
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let declared = try configuration(["REMOTE_TASK_TYPES": " render , transcribe", "TASK_TYPES_FILE": path]).taskTypes
        let registry = try HandlerRegistry([NoopHandler()], declarations: declared)
        #expect(registry.taskTypes == ["noop"])
        #expect(registry.remoteTaskTypes == ["render", "transcribe"])
        #expect(registry.defaultMaxRetries(for: "transcribe") == 5)
        #expect(registry.defaultMaxRetries(for: "noop") == 0)
        #expect(registry.declaration(for: "transcribe")?.lease == .seconds(600))
        #expect(throws: SchedulerError.invalidInput(
            field: "context.audio_url", reason: "is required (the context schema of 'transcribe')")) {
            try registry.validate(taskType: "transcribe", contextJSON: "{}", userID: nil)
        }
        try registry.validate(taskType: "render", contextJSON: #"{"anything": 1}"#, userID: nil)
    }

    @Test("a remote type named like a handler, or an in-process declaration without one, stops start-up")
    func collisions() throws {
        #expect(throws: ConfigurationError.remoteTypeCollision("noop")) {
            try HandlerRegistry([NoopHandler()], declarations: try configuration(["REMOTE_TASK_TYPES": "noop"]).taskTypes)
        }
        #expect(throws: ConfigurationError.undeclaredTaskType("ghost")) {
            try HandlerRegistry([NoopHandler()], declarations: [TaskTypeDeclaration(name: "ghost", remote: false)])
        }
        do {
            _ = try configuration(["REMOTE_TASK_TYPES": "ok,not ok"])
            Issue.record("a name with a space was accepted")
        } catch {
            #expect(error.description.contains("REMOTE_TASK_TYPES (--remote-task-types)"))
            #expect(error.description.contains("'not ok' is not one"))
        }
    }

    @Test("a bad task-types file is refused naming the file, the type and the field",
          arguments: [
            (#"{"task_types": {"t": {"remote": true, "lease_seconds": 0}}}"#, "task_types.t.lease_seconds must be a whole number from 1 to 86400"),
            (#"{"task_types": {"t": {"remote": "yes"}}}"#, "task_types.t.remote must be true or false"),
            (#"{"task_types": {"t": {"remotely": true}}}"#, "task_types.t.remotely is not a known field"),
            (#"{"task_types": {"t": {"remote": true, "context_schema": {"type": "strin"}}}}"#, "task_types.t.context_schema: type must name types"),
            (#"{"task_types": {"t": {"remote": true, "context_schema": {"oneOf": []}}}}"#, "context_schema: oneOf is not a keyword this scheduler checks"),
            (#"{"task_types": {"t": {"remote": true, "context_schema": {"format": "hostname"}}}}"#,
             "context_schema: format must be a format this scheduler checks: uri, date-time, email, uuid"),
            (#"{"tasks": {}}"#, "must be a JSON object with one field, task_types"),
            ("{", "is not valid JSON"),
          ])
    func badFile(text: String, message: String) throws {
        let path = try file(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try configuration(["TASK_TYPES_FILE": path])
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.contains("TASK_TYPES_FILE (--task-types-file) \(path)"))
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test("a context schema checks types, bounds, lengths, items and nested fields, naming the path")
    func schemaChecks() throws {
        let schema = try JSONSchema(JSONValue(parsing: """
            {"type": "object", "properties": {
               "count": {"type": "integer", "minimum": 1, "exclusiveMaximum": 10},
               "name": {"type": "string", "minLength": 2, "maxLength": 4},
               "tags": {"type": "array", "maxItems": 2, "items": {"type": "string"}},
               "nested": {"type": "object", "additionalProperties": {"type": "number"}},
               "either": {"type": ["string", "null"]}}}
            """)!)
        let cases: [(String, String?)] = [
            (#"{"count": 3, "name": "abc", "tags": ["a"], "nested": {"x": 1.5}, "either": null}"#, nil),
            (#"{"count": 1.5}"#, "context.count must be integer"),
            (#"{"count": 0}"#, "context.count must be at least 1"),
            (#"{"count": 10}"#, "context.count must be less than 10"),
            (#"{"name": "a"}"#, "context.name must be at least 2 characters long"),
            (#"{"name": "abcde"}"#, "context.name must be at most 4 characters long"),
            (#"{"tags": ["a", 1]}"#, "context.tags[1] must be string"),
            (#"{"tags": ["a", "b", "c"]}"#, "context.tags must have at most 2 items"),
            (#"{"nested": {"x": "1"}}"#, "context.nested.x must be number"),
            (#"{"either": 1}"#, "context.either must be null or string"),
            (#"[]"#, "context must be object"),
        ]
        for (text, expected) in cases {
            #expect(schema.problem(with: JSONValue(parsing: text)!, at: "context")?.description == expected, "\(text)")
        }
    }

    @Test("format is checked on strings: uri, date-time, email and uuid")
    func formats() throws {
        let schema = try JSONSchema(JSONValue(parsing: """
            {"type": "object", "properties": {
               "link": {"type": "string", "format": "uri"}, "at": {"type": "string", "format": "date-time"},
               "mail": {"type": "string", "format": "email"}, "id": {"type": "string", "format": "uuid"}}}
            """)!)
        let good = #"{"link": "https://example.com/a?b=1", "at": "2026-12-07T09:00:00Z", "mail": "ada@example.com", "id": "11111111-1111-4111-8111-111111111111"}"#
        #expect(schema.problem(with: JSONValue(parsing: good)!, at: "context") == nil)
        let cases: [(String, String)] = [
            (#"{"link": "not a uri"}"#, "context.link must be a URI"),
            (#"{"at": "tomorrow"}"#, "context.at must be a date-time (ISO 8601, e.g. 2026-12-07T09:00:00Z)"),
            (#"{"mail": "ada at example"}"#, "context.mail must be an email address"),
            (#"{"id": "1234"}"#, "context.id must be a UUID"),
        ]
        for (text, expected) in cases {
            #expect(schema.problem(with: JSONValue(parsing: text)!, at: "context")?.description == expected, "\(text)")
        }
    }
}
