import Foundation
import Scheduler

extension ManualClock {
    /// A manual clock set to the current time cut to the whole second. A time with a
    /// fraction of a millisecond can round one way when computed here and the other once
    /// the database stored it to the microsecond, so expected timestamps would be off by
    /// a millisecond now and then.
    public static func atThisSecond() -> ManualClock {
        ManualClock(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
    }
}
