/// The engine's own schema track: `agent_tasks`, `agent_actions_log` and what the engine
/// needs around them.
public enum SchedulerSchema {
    /// The engine's track in `schema_migrations`; rows from before tracks existed are on it.
    public static let track = "scheduler"
}
