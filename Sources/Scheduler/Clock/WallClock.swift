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
