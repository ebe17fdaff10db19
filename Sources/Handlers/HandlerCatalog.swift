import Scheduler

/// The list, in code, of every handler the `agent-scheduler` executable registers.
///
/// Adding a handler means adding it here; the registry built from this list rejects
/// duplicate task types at start-up.
public enum HandlerCatalog {
    /// The built-in `noop` handler and the handlers of this module.
    public static func all() -> [any TaskHandler] {
        [NoopHandler()] + PlaceholderTaskTypes.handlers
    }
}
