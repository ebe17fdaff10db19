import Scheduler
import Synchronization

/// The handler set of this process's CLI, installed once by ``AgentSchedulerCommand/main(handlers:)``
/// before any command is parsed: ArgumentParser builds each command from its arguments
/// alone, so the set cannot travel in a command's fields.
enum InstalledHandlers {
    private static let installed = Mutex<HandlerSet?>(nil)

    static func install(_ set: HandlerSet) {
        installed.withLock { $0 = set }
    }

    /// The installed set; only the built-ins when a program ran a command without the
    /// entry point (as a test may).
    static var current: HandlerSet {
        installed.withLock { $0 } ?? HandlerSet(HandlerSet.builtIns)
    }
}
