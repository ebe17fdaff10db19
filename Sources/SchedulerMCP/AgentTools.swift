import Foundation
import Logging
import MCP
import Scheduler
import SchedulerRequests

/// The tools agent-scheduler offers an LLM agent over MCP: one `enqueue_<task_type>` per
/// task type, whose input schema is that type's context schema, and `get_task`,
/// `list_tasks`, `wait_for_task`, `cancel_task`, `retry_task` and `queue_stats`.
///
/// The same for both transports (stdio and `/mcp`). A bad argument is a tool error
/// (`isError`) whose message names it, so the agent can correct itself; only an unknown
/// tool is a protocol error, as the specification asks.
public struct AgentTools: Sendable {
    let store: any TaskStore
    let registry: HandlerRegistry
    let configuration: SchedulerConfiguration
    let clock: any WallClock
    let logger: Logger

    public init(
        store: any TaskStore, registry: HandlerRegistry, configuration: SchedulerConfiguration,
        clock: any WallClock = SystemClock(), logger: Logger
    ) {
        self.store = store
        self.registry = registry
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    /// The prefix of the tool that schedules a task type.
    static let enqueuePrefix = "enqueue_"

    /// The task types with a scheduling tool: those offered to agents (placeholders are
    /// not) whose tool name fits MCP's rule (at most 64 letters, digits, `_`, `-` or `.`).
    var schedulableTypes: [String] {
        registry.allTaskTypes.filter { (Self.enqueuePrefix + $0).count <= 64 && registry.isOfferedToAgents($0) }
    }

    /// Every tool, the scheduling ones first.
    public func list() -> [Tool] {
        schedulableTypes.map(enqueueTool) + TaskTools.all
    }

    /// Runs the tool `name`; `createdBy` is what a task it creates records as its creator.
    /// Throws only ``MCPError/invalidParams(_:)`` for a tool that does not exist.
    public func call(_ name: String, arguments: [String: MCP.Value]?, createdBy: String) async throws -> CallTool.Result {
        let fields = JSONFields(object: (arguments ?? [:]).mapValues(JSONValue.init))
        let answer: Result<JSONValue, any Error>
        do {
            if name.hasPrefix(Self.enqueuePrefix), case let type = String(name.dropFirst(Self.enqueuePrefix.count)),
                schedulableTypes.contains(type)
            {
                answer = .success(try await enqueue(type, fields, createdBy: createdBy))
            } else if let tool = TaskTools.Name(rawValue: name) {
                answer = .success(try await TaskTools(tools: self).call(tool, fields))
            } else {
                throw MCPError.invalidParams("Unknown tool: '\(name)'. tools/list names the tools this server offers.")
            }
        } catch let error as MCPError {
            throw error
        } catch {
            answer = .failure(error)
        }
        return ToolAnswer.result(answer, tool: name, logger: logger)
    }

    // MARK: Scheduling

    /// The largest context a scheduling tool takes, in bytes of JSON: what fits in the
    /// largest body the HTTP API reads.
    static let contextLimit = APIError.maximumBodySize

    /// The arguments of every scheduling tool besides the context.
    static let schedulingArguments: Set<String> = ["context", "user_id", "run_at", "priority", "idempotency_key"]

    private func enqueueTool(_ taskType: String) -> Tool {
        let profile = TaskTypeProfile(taskType, registry: registry, configuration: configuration)
        var context = profile.contextSchema
        if case .object(var object) = context {
            object["description"] = "The task's context: what the task works on."
            context = .object(object)
        }
        let requiresContext = if case .object(let object) = profile.contextSchema, case .array(let names)? = object["required"] {
            !names.isEmpty
        } else {
            false
        }
        var required: [JSONValue] = []
        if requiresContext { required.append("context") }
        if profile.requiresUser { required.append("user_id") }
        let schema: JSONValue = [
            "type": "object",
            "properties": [
                "context": context,
                "user_id": [
                    "type": "string", "format": "uuid",
                    "description": .string(
                        profile.requiresUser
                            ? "The user the task is about (required for this type)." : "The user the task is about, if any."),
                ],
                "run_at": [
                    "type": "string",
                    "description": .string("When to run it (default now): \(RunAtText.expected)."),
                ],
                "priority": [
                    "type": "string", "enum": .array(TaskPriority.allCases.map { .string($0.rawValue) }),
                    "description": "Claim order among due tasks (default medium).",
                ],
                "idempotency_key": [
                    "type": "string", "maxLength": 200,
                    "description": "A key of your choosing: scheduling again with the same key returns the first task instead of a second one.",
                ],
            ],
            "required": .array(required),
            "additionalProperties": false,
        ]
        let description = [
            profile.description ?? "Schedules a '\(taskType)' task, run by a worker outside this service.",
            "Schedules a '\(taskType)' task and returns it (with its id); get_task or wait_for_task follow it.",
            profile.defaults.maxRetries > 0
                ? "A failed attempt is retried after 1, 2, 4 … minutes, \(profile.defaults.maxRetries) times at most." : "",
        ].filter { !$0.isEmpty }.joined(separator: " ")
        return Tool(
            name: Self.enqueuePrefix + taskType, title: "Schedule \(taskType)", description: description,
            inputSchema: MCP.Value(schema),
            annotations: .init(readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false))
    }

    private func enqueue(_ taskType: String, _ fields: JSONFields, createdBy: String) async throws -> JSONValue {
        try fields.rejectUnknown(Self.schedulingArguments)
        let now = clock.now
        var body: [String: JSONValue] = ["task_type": .string(taskType), "agent_type": "mcp", "created_by": .string(createdBy)]
        for name in ["context", "user_id", "priority", "idempotency_key"] { body[name] = fields.object[name] }
        if let context = fields.object["context"], case let size = try JSONText.encode(context).utf8.count, size > Self.contextLimit {
            throw APIError.invalidField("context", "is \(size) bytes of JSON; a context may be at most \(Self.contextLimit)")
        }
        if let text = try fields.string("run_at", maxLength: 100) {
            guard let date = RunAtText.date(text, now: now) else {
                throw APIError.invalidField("run_at", "is not a time: expected \(RunAtText.expected)")
            }
            body["scheduled_for"] = .string(Timestamp.string(from: date))
        }
        let task = try CreateTaskRequest(body, defaultMaxRetries: { registry.defaultMaxRetries(for: $0) ?? configuration.maxRetries }).task
        let result = try await TaskIntake(store: store, registry: registry, clock: clock).enqueue(task)
        let note = try await EngineCoverage(store: store).note(for: taskType, now: now)
        return try JSONValue(encoding: EnqueueAnswer(created: result.created, note: note, task: TaskRepresentation(result.task)))
    }

    /// What a scheduling tool returns: the task, whether it is new or was found by its
    /// idempotency key, and a note when no engine runs its type.
    struct EnqueueAnswer: Encodable {
        var created: Bool
        var note: String?
        var task: TaskRepresentation
    }
}
