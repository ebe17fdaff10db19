import ArgumentParser
import Foundation
import Scheduler
import SchedulerRequests

/// `agent-scheduler enqueue`: adds a task, checked against its handler's context type,
/// or with `--file` every task of a JSON-lines file.
struct Enqueue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add a task, or with --file many. The context must decode into the handler's context type.")

    @Argument(help: "The task type (see `agent-scheduler handlers`); not with --file.")
    var taskType: String?

    @Option(help: "A JSON-lines file, one task a line shaped like the body of POST /tasks; all checked before any is added, then added 1,000 at a time.")
    var file: String?

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

    @Option(name: .customLong("callback-url"), help: "An http(s) URL told by webhook when the task reaches a final state.")
    var callbackURL: String?

    @Option(name: .customLong("agent-type"), help: "Which agent is creating the task.")
    var agentType: String = "cli"

    @Option(name: .customLong("max-retries"), help: "Retries after the first attempt (env MAX_RETRIES; default 3).")
    var maxRetries: String?

    @OptionGroup var settings: DatabaseOptions

    func validate() throws {
        guard (taskType == nil) != (file == nil) else {
            throw ValidationError("give a task type, or --file with a JSON-lines file of tasks, not both")
        }
        guard !StrictJSON.hasTrailingComma(context), let data = context.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { throw ValidationError("--context is not valid JSON: give a JSON object, e.g. --context '{\"reason\": \"demo\"}'") }
        guard object is [String: Any] else { throw ValidationError("--context must be a JSON object ({…}), not a single value or a list") }
    }

    func run() async throws {
        let runtime = try Runtime(settings, extra: maxRetries.map { [.maxRetries: $0] } ?? [:])
        guard let taskType else { return try await enqueueFile(runtime) }
        var task = NewTask(
            taskType: taskType,
            agentType: agentType,
            userID: user?.id,
            scheduledFor: at?.date,
            priority: priority,
            maxRetries: runtime.configuration.maxRetries,
            contextJSON: context,
            createdBy: "agent-scheduler enqueue",
            idempotencyKey: key,
            callbackURL: callbackURL
        )
        let result = try await runtime.withStore { store, registry in
            if maxRetries == nil, let declared = registry.defaultMaxRetries(for: taskType) { task.maxRetries = declared }
            let intake = TaskIntake(store: store, registry: registry, webhooks: runtime.configuration.webhooks)
            do {
                return try await intake.enqueue(task)
            } catch SchedulerError.invalidInput(let field, let reason) {
                throw CommandError("invalid \(Self.flag(for: field)): \(reason)")
            }
        }
        if !result.created {
            runtime.logger.notice("a task with this idempotency key exists already; showing it")
        }
        try Output.json(TaskRepresentation(result.task))
    }

    /// `--file`: parses and checks every line, then enqueues them in batches of 1,000,
    /// each batch all or nothing; prints how many were new.
    private func enqueueFile(_ runtime: Runtime) async throws {
        guard let file else { return }
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw CommandError("cannot read \(file): \(error.localizedDescription)")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
        let (created, total) = try await runtime.withStore { store, registry in
            let defaultMaxRetries = { (type: String) in
                (maxRetries == nil ? registry.defaultMaxRetries(for: type) : nil) ?? runtime.configuration.maxRetries
            }
            let intake = TaskIntake(store: store, registry: registry, webhooks: runtime.configuration.webhooks)
            var tasks: [NewTask] = []
            var problems: [String] = []
            for (index, line) in lines {
                guard case .object(let object)? = JSONValue(parsing: String(line)) else {
                    problems.append("\(file):\(index + 1): not a JSON object")
                    continue
                }
                do {
                    let task = try CreateTaskRequest(object, defaultMaxRetries: defaultMaxRetries).task
                    try intake.check(task)
                    tasks.append(task)
                } catch let error as APIError {
                    problems.append("\(file):\(index + 1): \(error.message)")
                } catch {
                    problems.append("\(file):\(index + 1): \(error)")
                }
            }
            if !problems.isEmpty { throw Self.refusal(problems, lines: lines.count) }
            var created = 0
            for start in stride(from: 0, to: tasks.count, by: 1_000) {
                let batch = Array(tasks[start..<min(start + 1_000, tasks.count)])
                created += try await intake.enqueue(batch: batch).filter(\.created).count
            }
            return (created, tasks.count)
        }
        print("enqueued \(total) tasks from \(file): \(created) new, \(total - created) already there (idempotency key)")
    }

    /// How many bad lines a refused file lists.
    static let problemsShown = 20

    /// Every bad line of a file (up to ``problemsShown``); nothing of it was enqueued.
    static func refusal(_ problems: [String], lines: Int) -> CommandError {
        let more = problems.count > problemsShown ? "\n… and \(problems.count - problemsShown) more" : ""
        return CommandError(
            "\(problems.count) of \(lines) lines cannot be enqueued, so none was:\n"
                + problems.prefix(problemsShown).joined(separator: "\n") + more)
    }

    /// The flag a field of a task is given by, for errors.
    static func flag(for field: String) -> String {
        switch field {
        case "user_id": "--user"
        case "context", "context_json": "--context"
        case "scheduled_for": "--at"
        case "idempotency_key": "--key"
        case "callback_url": "--callback-url"
        case "max_retries": "--max-retries"
        default: field
        }
    }
}
