import ArgumentParser
import Foundation
import Scheduler

/// A point in time given on the command line: an ISO 8601 timestamp
/// (`2026-11-24T09:00:00Z`) or an offset from now (`+90s`, `+5m`, `+2h`, `+3d`).
struct TimeArgument: ExpressibleByArgument {
    let date: Date

    init?(argument: String) {
        if let date = Timestamp.date(from: argument) {
            self.date = date
            return
        }
        guard argument.hasPrefix("+"), let unit = argument.last, let amount = Double(argument.dropFirst().dropLast()),
            amount >= 0
        else { return nil }
        let seconds: Double
        switch unit {
        case "s": seconds = amount
        case "m": seconds = amount * 60
        case "h": seconds = amount * 3600
        case "d": seconds = amount * 86_400
        default: return nil
        }
        date = Date().addingTimeInterval(seconds)
    }

    static var defaultValueDescription: String { "now" }
}
