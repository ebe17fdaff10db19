/// The deadlines a ``TimerQueue`` watches, as plain values: which are due at a given
/// instant and which comes next. Kept apart from the sleeping so the rules can be
/// tested without a clock.
struct TimerSchedule<Fire> {
    private struct Entry {
        let deadline: ContinuousClock.Instant
        let fire: Fire
    }

    private var entries: [Int: Entry] = [:]
    private var lastToken = 0

    /// How many deadlines are neither due yet nor removed.
    var count: Int { entries.count }

    /// The earliest deadline, if any.
    var earliest: ContinuousClock.Instant? { entries.values.lazy.map(\.deadline).min() }

    /// Adds a deadline; returns the token that removes it.
    mutating func add(_ deadline: ContinuousClock.Instant, _ fire: Fire) -> Int {
        lastToken += 1
        entries[lastToken] = Entry(deadline: deadline, fire: fire)
        return lastToken
    }

    /// Removes a deadline before it is due; nothing for one already due or removed.
    mutating func remove(_ token: Int) {
        entries[token] = nil
    }

    /// Takes out every deadline at or before `now` and returns what each fires.
    mutating func takeDue(at now: ContinuousClock.Instant) -> [Fire] {
        var due: [Fire] = []
        for (token, entry) in entries where entry.deadline <= now {
            due.append(entry.fire)
            entries[token] = nil
        }
        return due
    }
}
