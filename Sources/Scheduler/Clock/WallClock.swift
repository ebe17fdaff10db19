import Foundation
import Synchronization

/// The source of "now" for everything that compares against stored timestamps:
/// claiming due tasks, retry times, leases.
///
/// Production uses ``SystemClock``; tests inject a ``ManualClock`` and move time
/// forward explicitly instead of sleeping.
public protocol WallClock: Sendable {
    /// The current time.
    var now: Date { get }
}

/// The real time of the machine.
public struct SystemClock: WallClock {
    public init() {}
    public var now: Date { Date() }
}

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

extension Duration {
    /// The duration in seconds as a floating-point value, for `Date` arithmetic.
    public var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
