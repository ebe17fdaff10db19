import Scheduler

/// The list, in code, of every handler the `agent-scheduler` executable registers.
///
/// Adding a handler means adding it here; the registry built from this list rejects
/// duplicate task types at start-up.
public enum HandlerCatalog {
    /// The built-in `noop` and `probe` handlers, the agent handlers of the task processor
    /// this project replaces (acting on `domain`), and its placeholder task types.
    public static func all(domain: any DomainStore) -> [any TaskHandler] {
        HandlerSet.builtIns + [
            ResearchSolution(domain: domain),
            ScheduleFollowup(domain: domain),
            UpdateUserProfile(domain: domain),
            ReEngagementCheck(domain: domain),
        ] + PlaceholderTaskTypes.handlers
    }

    /// The tables these handlers act on, for ``TaskStore/migrate(modules:)``.
    public static let schema: [any SchemaModule] = [DomainSchema()]

    /// The shipped binary's set: these handlers over each store's database, and their tables.
    public static let set = HandlerSet(schema: schema) { store in try all(for: store) }

    /// The handlers for a task store's database.
    public static func all(for store: any TaskStore) throws -> [any TaskHandler] {
        all(domain: try DomainStores.make(for: store))
    }
}
