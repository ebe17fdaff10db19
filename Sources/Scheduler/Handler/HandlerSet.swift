/// What one build of agent-scheduler runs: its handlers, made for the store they act on,
/// and the tables they own.
///
/// The shipped binary passes the task processor's set; a team's own package passes its
/// own (usually ``builtIns`` plus its handlers) to the CLI's entry point or to
/// ``SchedulerService``, without editing this package.
public struct HandlerSet: Sendable {
    /// The modules whose migrations run after the engine's, each on its own track.
    public let schema: [any SchemaModule]

    private let make: @Sendable (any TaskStore) throws -> [any TaskHandler]

    /// A set whose handlers are made once per opened store, so a handler that writes to
    /// its own tables can reach the store's database (through `accept` in
    /// `SchedulerService`).
    public init(
        schema: [any SchemaModule] = [],
        handlers: @escaping @Sendable (any TaskStore) throws -> [any TaskHandler]
    ) {
        self.schema = schema
        make = handlers
    }

    /// A set of handlers that need no database of their own.
    public init(_ handlers: [any TaskHandler], schema: [any SchemaModule] = []) {
        self.init(schema: schema) { _ in handlers }
    }

    /// The engine's own `noop` and `probe`: what the first-minutes checks, the benchmark
    /// and diagnostics enqueue.
    public static let builtIns: [any TaskHandler] = [NoopHandler(), ProbeHandler()]

    /// The handlers acting on `store`'s database.
    public func handlers(for store: any TaskStore) throws -> [any TaskHandler] {
        try make(store)
    }
}
