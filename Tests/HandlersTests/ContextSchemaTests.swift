import Foundation
import Handlers
import Scheduler
import TestSupport
import Testing

/// Holds each built-in task type's declared context schema to its `Context` type: what
/// the decoder and `validate` accept the schema accepts, and what they refuse the schema
/// refuses for the same field.
@Suite("Context schemas", .timeLimit(.minutes(5)))
struct ContextSchemaTests {
    /// A context and the task type it is for.
    struct Sample: Sendable, CustomTestStringConvertible {
        var name: String
        var taskType: String
        var context: JSONValue
        var testDescription: String { name }
    }

    /// Contexts beyond the fixtures, at the edges the schemas declare.
    static let edges: [Sample] = [
        Sample(name: "probe: defaults", taskType: "probe", context: [:]),
        Sample(name: "probe: longest", taskType: "probe", context: ["duration_ms": 3_600_000, "progress_steps": 10_000]),
        Sample(name: "probe: too long", taskType: "probe", context: ["duration_ms": 3_600_001]),
        Sample(name: "probe: negative steps", taskType: "probe", context: ["progress_steps": -1]),
        Sample(name: "probe: negative failures", taskType: "probe", context: ["fail_attempts": -1]),
        Sample(name: "probe: fractional duration", taskType: "probe", context: ["duration_ms": 1.5]),
        Sample(name: "research_solution: null optional", taskType: "research_solution", context: ["description": "x", "category": .null]),
        Sample(name: "research_solution: null description", taskType: "research_solution", context: ["description": .null]),
        Sample(name: "research_solution: bad conversation", taskType: "research_solution", context: ["description": "x", "conversation_id": "nope"]),
        Sample(name: "research_solution: good conversation", taskType: "research_solution",
            context: ["description": "x", "conversation_id": "AAAAAAAA-0000-4000-8000-000000000001"]),
        Sample(name: "research_solution: unknown field ignored", taskType: "research_solution", context: ["description": "x", "extra": 1]),
        Sample(name: "schedule_followup: blank reason", taskType: "schedule_followup", context: ["reason": " \n"]),
        Sample(name: "schedule_followup: message not text", taskType: "schedule_followup", context: ["reason": "x", "message": 3]),
        Sample(name: "update_user_profile: no fields", taskType: "update_user_profile", context: ["fields": [:]]),
        Sample(name: "update_user_profile: clear a field", taskType: "update_user_profile", context: ["fields": ["title": .null]]),
        Sample(name: "update_user_profile: fields not an object", taskType: "update_user_profile", context: ["fields": ["title"]]),
        Sample(name: "re_engagement_check: attempt 0", taskType: "re_engagement_check", context: ["attempt_count": 0]),
        Sample(name: "re_engagement_check: interval 0", taskType: "re_engagement_check", context: ["check_interval_hours": 0]),
        Sample(name: "re_engagement_check: interval a year", taskType: "re_engagement_check", context: ["check_interval_hours": 8760]),
        Sample(name: "re_engagement_check: interval too long", taskType: "re_engagement_check", context: ["check_interval_hours": 8760.5]),
        Sample(name: "noop: anything", taskType: "noop", context: ["anything": [1, 2]]),
        Sample(name: "noop: not an object", taskType: "noop", context: "text"),
    ]

    static func samples() throws -> [Sample] {
        try Fixtures.sampleTasks().map { Sample(name: $0.name, taskType: $0.task.taskType, context: $0.task.context) } + edges
    }

    static func registry() async throws -> HandlerRegistry {
        try await TestDatabase.with(.sqlite, modules: HandlerCatalog.schema) { db in
            try HandlerRegistry(HandlerCatalog.all(for: db.store))
        }
    }

    @Test("every sample the Context decodes and validates, the schema accepts; every one refused, it refuses for the same field",
        arguments: try samples())
    func heldToContext(sample: Sample) async throws {
        let registry = try await Self.registry()
        guard registry.contains(sample.taskType) else { return }
        let text = try JSONText.encode(sample.context)
        var refusal: String?
        do {
            try registry.validate(taskType: sample.taskType, contextJSON: text, userID: Fixtures.ada)
        } catch SchedulerError.invalidContext(_, let reason) {
            refusal = reason
        }
        let problem = registry.contextSchema(for: sample.taskType).problem(with: sample.context, at: "context")
        guard let refusal else {
            #expect(problem == nil, "the Context accepts it, the schema does not: \(problem?.description ?? "")")
            return
        }
        let schemaProblem = try #require(problem, "the Context refuses it (\(refusal)), the schema accepts it")
        #expect(Self.field(inRefusal: refusal) == Self.field(inSchemaPath: schemaProblem.path),
            "the Context refuses \(refusal); the schema \(schemaProblem)")
    }

    @Test("every registered type has a description and an object schema whose fields are each described")
    func described() async throws {
        let registry = try await Self.registry()
        for type in registry.taskTypes {
            #expect(registry.description(for: type)?.isEmpty == false, "\(type) has no description")
            let schema = registry.contextSchema(for: type).document
            guard case .object(let object) = schema else {
                Issue.record("\(type)'s schema is not an object")
                continue
            }
            #expect(object["type"] == "object")
            if case .object(let properties)? = object["properties"] {
                for (name, field) in properties {
                    guard case .object(let fieldSchema) = field, case .string(let text)? = fieldSchema["description"] else {
                        Issue.record("\(type).\(name) has no description")
                        continue
                    }
                    #expect(!text.isEmpty)
                }
            }
        }
    }

    /// The last field a refusal names in quotes (`context field 'items[1].label' is
    /// missing` → `label`), or the whole context when it names none.
    static func field(inRefusal refusal: String) -> String {
        let quoted = refusal.split(separator: "'", omittingEmptySubsequences: false)
        guard quoted.count >= 3 else { return "context" }
        return lastComponent(String(quoted[1]))
    }

    /// The last field of a schema problem's path (`context.fields.verified` → `verified`).
    static func field(inSchemaPath path: String) -> String {
        path == "context" ? "context" : lastComponent(path)
    }

    private static func lastComponent(_ path: String) -> String {
        String(path.split(separator: ".").last ?? Substring(path)).replacingOccurrences(of: #"\[\d+\]$"#, with: "", options: .regularExpression)
    }
}
