import Foundation
import Synchronization

extension Duration {
    /// The duration in seconds as a floating-point value, for `Date` arithmetic.
    public var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
