import Foundation

/// The handlers a process can run, keyed by task type, and the task types workers
/// outside run (remote ones), built once at start-up.
///
/// The engine claims only the types it has a handler for, so a fleet mid-deploy leaves
/// rows of types it does not know untouched, and remote types to their workers. A
/// duplicate task type, or a remote type named like a handler, is a start-up error.
public struct HandlerRegistry: Sendable {
    /// A handler with its types erased, so handlers of different context types can share
    /// one table.
    struct Entry: Sendable {
        let timeout: Duration?
        let run: @Sendable (String, TaskInvocation) async throws -> String
        let validate: @Sendable (String) throws -> Void
        let requiresUser: Bool
        let offeredToAgents: Bool
        let description: String
        let schema: JSONSchema
    }

    private let entries: [String: Entry]
    private let declarations: [String: TaskTypeDeclaration]

    /// The task types with a handler in this process, sorted: what the engine claims.
    public let taskTypes: [String]

    /// The task types remote workers run, sorted.
    public let remoteTaskTypes: [String]

    /// Every task type enqueues accept: in-process and remote, sorted.
    public var allTaskTypes: [String] { (taskTypes + remoteTaskTypes).sorted() }

    /// Builds a registry, rejecting two handlers for the same task type, a remote type
    /// named like a handler, and an in-process declaration without a handler.
    public init(_ handlers: [any TaskHandler], declarations: [TaskTypeDeclaration] = []) throws(ConfigurationError) {
        var entries: [String: Entry] = [:]
        for handler in handlers {
            let type = Swift.type(of: handler).taskType
            guard entries[type] == nil else { throw .duplicateHandler(type) }
            entries[type] = try Self.entry(for: handler)
        }
        var declared: [String: TaskTypeDeclaration] = [:]
        for declaration in declarations {
            if declaration.remote, entries[declaration.name] != nil { throw .remoteTypeCollision(declaration.name) }
            if !declaration.remote, entries[declaration.name] == nil { throw .undeclaredTaskType(declaration.name) }
            declared[declaration.name] = declaration
        }
        self.entries = entries
        self.declarations = declared
        self.taskTypes = entries.keys.sorted()
        self.remoteTaskTypes = declared.values.filter(\.remote).map(\.name).sorted()
    }

    /// Whether a handler in this process runs the task type.
    public func contains(_ taskType: String) -> Bool { entries[taskType] != nil }

    /// Whether remote workers run the task type.
    public func isRemote(_ taskType: String) -> Bool { declarations[taskType]?.remote == true }

    /// The `max_retries` the deployment declared for tasks of the type enqueued without one.
    public func defaultMaxRetries(for taskType: String) -> Int? { declarations[taskType]?.maxRetries }

    /// What the deployment declared about the task type, if anything.
    public func declaration(for taskType: String) -> TaskTypeDeclaration? { declarations[taskType] }

    /// The timeout a handler declared, if it declared one.
    public func timeout(for taskType: String) -> Duration? { entries[taskType]?.timeout }

    /// Whether a task of the type must name a user (`user_id`).
    public func requiresUser(_ taskType: String) -> Bool { entries[taskType]?.requiresUser ?? false }

    /// Whether agents are offered the type as a tool (remote types always are).
    public func isOfferedToAgents(_ taskType: String) -> Bool { entries[taskType]?.offeredToAgents ?? true }

    /// What a task of the type does: the deployment's declared description, else the
    /// handler's; `nil` for a remote type declared without one.
    public func description(for taskType: String) -> String? {
        declarations[taskType]?.description ?? entries[taskType]?.description
    }

    /// The schema of the type's context: the handler's, or a remote type's declared one;
    /// any object for a remote type declared without one.
    public func contextSchema(for taskType: String) -> JSONSchema {
        entries[taskType]?.schema ?? declarations[taskType]?.contextSchema ?? .anyObject
    }

    /// Checks that `contextJSON` decodes into the context type of the handler for
    /// `taskType` and passes its checks, and that the task has the user its type needs,
    /// so a task certain to fail is refused at enqueue time instead of failing later.
    /// Throws ``ConfigurationError/unknownLimitedType(_:)`` when `limits` name a type
    /// that no handler here runs and the deployment does not declare.
    public func check(_ limits: TaskLimits) throws(ConfigurationError) {
        let known = Set(allTaskTypes)
        if let unknown = limits.taskTypes.first(where: { !known.contains($0) }) { throw .unknownLimitedType(unknown) }
    }

    public func validate(taskType: String, contextJSON: String, userID: UUID?) throws(SchedulerError) {
        if let declaration = declarations[taskType], declaration.remote {
            guard let schema = declaration.contextSchema else { return }
            guard let context = JSONValue(parsing: contextJSON) else {
                throw .invalidContext(taskType: taskType, reason: "the context is not JSON")
            }
            if let problem = schema.problem(with: context, at: "context") {
                throw .invalidInput(field: problem.path, reason: "\(problem.problem) (the context schema of '\(taskType)')")
            }
            return
        }
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

    private static func entry<H: TaskHandler>(for handler: H) throws(ConfigurationError) -> Entry {
        let schema: JSONSchema
        do {
            schema = try JSONSchema(H.contextSchema.document)
        } catch {
            throw .invalidContextSchema(taskType: H.taskType, problem: error.description)
        }
        return Entry(
            timeout: H.timeout,
            run: { json, invocation in
                let context = try ContextCoding.decode(H.Context.self, from: json, schema: schema)
                let result = try await handler.handle(context, invocation: invocation)
                return try ContextCoding.encode(result)
            },
            validate: { json in try H.validate(try ContextCoding.decode(H.Context.self, from: json, schema: schema)) },
            requiresUser: H.requiresUser,
            offeredToAgents: H.offeredToAgents,
            description: H.taskDescription,
            schema: schema
        )
    }
}
