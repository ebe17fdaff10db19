import Foundation
import Synchronization

/// The real time of the machine.
public struct SystemClock: WallClock {
    public init() {}
    public var now: Date { Date() }
}
