import Foundation

/// The handlers a process can run, keyed by task type, built once at start-up.
///
/// The engine claims only the registered types, so a fleet mid-deploy leaves rows of
/// types it does not know untouched. A duplicate task type is a start-up error.
public struct HandlerRegistry: Sendable {
    /// A handler with its types erased, so handlers of different context types can share
    /// one table.
    struct Entry: Sendable {
        let timeout: Duration?
        let run: @Sendable (String, TaskInvocation) async throws -> String
        let validate: @Sendable (String) throws -> Void
        let requiresUser: Bool
    }

    private let entries: [String: Entry]

    /// The registered task types, sorted.
    public let taskTypes: [String]

    /// Builds a registry, rejecting two handlers for the same task type.
    public init(_ handlers: [any TaskHandler]) throws(ConfigurationError) {
        var entries: [String: Entry] = [:]
        for handler in handlers {
            let type = Swift.type(of: handler).taskType
            guard entries[type] == nil else { throw .duplicateHandler(type) }
            entries[type] = Self.entry(for: handler)
        }
        self.entries = entries
        self.taskTypes = entries.keys.sorted()
    }

    /// Whether a handler is registered for the task type.
    public func contains(_ taskType: String) -> Bool { entries[taskType] != nil }

    /// The timeout a handler declared, if it declared one.
    public func timeout(for taskType: String) -> Duration? { entries[taskType]?.timeout }

    /// Checks that `contextJSON` decodes into the context type of the handler for
    /// `taskType` and passes its checks, and that the task has the user its type needs,
    /// so a task certain to fail is refused at enqueue time instead of failing later.
    public func validate(taskType: String, contextJSON: String, userID: UUID?) throws(SchedulerError) {
        guard let entry = entries[taskType] else { throw .unknownTaskType(taskType) }
        if entry.requiresUser, userID == nil {
            throw .userRequired(taskType: taskType)
        }
        do {
            try entry.validate(contextJSON)
        } catch {
            throw .invalidContext(taskType: taskType, reason: "\(error)")
        }
    }

    /// ``validate(taskType:contextJSON:userID:)`` for a task about to be enqueued, after
    /// checking that none of its text holds a NUL the database would refuse.
    public func validate(_ task: NewTask) throws(SchedulerError) {
        try StoredText.checkStorable(task)
        try validate(taskType: task.taskType, contextJSON: task.contextJSON, userID: task.userID)
    }

    /// Decodes the context, runs the handler and encodes its result.
    func run(taskType: String, contextJSON: String, invocation: TaskInvocation) async throws -> String {
        guard let entry = entries[taskType] else {
            throw HandlerError.permanent("no handler is registered for task type '\(taskType)'")
        }
        return try await entry.run(contextJSON, invocation)
    }

    private static func entry<H: TaskHandler>(for handler: H) -> Entry {
        Entry(
            timeout: H.timeout,
            run: { json, invocation in
                let context = try ContextCoding.decode(H.Context.self, from: json)
                let result = try await handler.handle(context, invocation: invocation)
                return try ContextCoding.encode(result)
            },
            validate: { json in try H.validate(try ContextCoding.decode(H.Context.self, from: json)) },
            requiresUser: H.requiresUser
        )
    }
}
