import Foundation
import Synchronization

/// A clock that only moves when told to, for deterministic tests of time-dependent logic.
public final class ManualClock: WallClock {
    private let current: Mutex<Date>

    /// Creates a clock stopped at `start`.
    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    /// Moves the clock forward.
    public func advance(by duration: Duration) {
        current.withLock { $0 = $0.addingTimeInterval(duration.timeInterval) }
    }

    /// Sets the clock to a given time.
    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}
