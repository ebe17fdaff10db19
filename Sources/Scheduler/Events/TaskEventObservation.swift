import Synchronization

/// An observer's place on a ``TaskEventBus``: ending it stops the calls, so a part that
/// stops (an engine, a dispatcher) leaves nothing behind on the store it used.
public final class TaskEventObservation: Sendable {
    private let remove: Mutex<(@Sendable () -> Void)?>

    init(remove: @escaping @Sendable () -> Void) {
        self.remove = Mutex(remove)
    }

    /// Stops the calls; later calls do nothing.
    public func end() {
        remove.withLock { remove in
            let once = remove
            remove = nil
            return once
        }?()
    }
}
