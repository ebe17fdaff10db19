import ArgumentParser
import Foundation
import Scheduler

/// A point in time given on the command line: an ISO 8601 timestamp
/// (`2026-11-24T09:00:00Z`) or an offset from now (`+90s`, `+5m`, `+2h`, `+3d`), read
/// as ``RunAtText`` reads it.
struct TimeArgument: ExpressibleByArgument {
    let date: Date

    init?(argument: String) {
        guard let date = RunAtText.date(argument, now: Date()) else { return nil }
        self.date = date
    }

    static var defaultValueDescription: String { "now" }
}
