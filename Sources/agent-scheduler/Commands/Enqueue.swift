import ArgumentParser
import Foundation
import Scheduler

/// `agent-scheduler enqueue`: adds a task, checked against its handler's context type.
struct Enqueue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add a task. The context must decode into the handler's context type.")

    @Argument(help: "The task type (see `agent-scheduler handlers`).")
    var taskType: String

    @Option(help: "The handler's input, a JSON object.")
    var context: String = "{}"

    @Option(help: "When to run it: an ISO 8601 time or +90s, +5m, +2h, +3d.")
    var at: TimeArgument?

    @Option(help: "urgent, high, medium or low.")
    var priority: TaskPriority = .medium

    @Option(help: "The user the task is about (a UUID).")
    var user: UUIDArgument?

    @Option(help: "An idempotency key: enqueueing again with it returns the first task.")
    var key: String?

    @Option(name: .customLong("agent-type"), help: "Which agent is creating the task.")
    var agentType: String = "cli"

    @Option(name: .customLong("max-retries"), help: "Retries after the first attempt (env MAX_RETRIES; default 3).")
    var maxRetries: String?

    @OptionGroup var settings: DatabaseOptions

    func validate() throws {
        guard let data = context.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { throw ValidationError("--context is not valid JSON: give a JSON object, e.g. --context '{\"reason\": \"demo\"}'") }
        guard object is [String: Any] else { throw ValidationError("--context must be a JSON object ({…}), not a single value or a list") }
    }

    func run() async throws {
        let runtime = try Runtime(settings, extra: maxRetries.map { [.maxRetries: $0] } ?? [:])
        let task = NewTask(
            taskType: taskType,
            agentType: agentType,
            userID: user?.id,
            scheduledFor: at?.date,
            priority: priority,
            maxRetries: runtime.configuration.maxRetries,
            contextJSON: context,
            createdBy: "agent-scheduler enqueue",
            idempotencyKey: key
        )
        let result = try await runtime.withStore { store, registry in
            try registry.validate(taskType: taskType, contextJSON: context, userID: user?.id)
            return try await store.enqueue(task, now: Date())
        }
        if !result.created {
            runtime.logger.notice("a task with this idempotency key exists already; showing it")
        }
        try Output.json(TaskRepresentation(result.task))
    }
}
