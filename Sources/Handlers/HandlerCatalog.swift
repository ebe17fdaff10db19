import Scheduler

/// The list, in code, of every handler the `agent-scheduler` executable registers.
///
/// Adding a handler means adding it here; the registry built from this list rejects
/// duplicate task types at start-up.
public enum HandlerCatalog {
    /// The built-in `noop` and `probe` handlers, the agent handlers of the task processor
    /// this project replaces (acting on `domain`), and its placeholder task types.
    public static func all(domain: any DomainStore) -> [any TaskHandler] {
        [
            NoopHandler(),
            ProbeHandler(),
            ResearchSolution(domain: domain),
            ScheduleFollowup(domain: domain),
            UpdateUserProfile(domain: domain),
            ReEngagementCheck(domain: domain),
        ] + PlaceholderTaskTypes.handlers
    }

    /// The tables these handlers act on, for ``TaskStore/migrate(modules:)``.
    public static let schema: [any SchemaModule] = [DomainSchema()]

    /// The handlers for a task store's database.
    public static func all(for store: any TaskStore) -> [any TaskHandler] {
        all(domain: DomainStores.make(for: store))
    }
}
