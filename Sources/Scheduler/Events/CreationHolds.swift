import Foundation

/// Keeps event ids in commit order within an instance: while this process creates tasks
/// (the insert sent, its `task.created` not published yet), events about those tasks
/// that arrive first — the engine, woken by the insert's NOTIFY, claiming one before the
/// creator has published — wait, and follow the `task.created` they come after.
///
/// Only events about the tasks of a creation in flight wait, and only until it ends, so
/// a busy enqueuer never holds back anything else.
struct CreationHolds {
    private var inFlight: [Int: Set<UUID>] = [:]
    private var nextTicket = 0
    private var held: [TaskEvent] = []

    /// Notes that the tasks `ids` are being created; returns the creation's ticket.
    mutating func begin(_ ids: [UUID]) -> Int {
        nextTicket += 1
        inFlight[nextTicket] = Set(ids)
        return nextTicket
    }

    /// The events to publish now; those about tasks still being created are kept back.
    mutating func admit(_ events: [TaskEvent]) -> [TaskEvent] {
        guard !inFlight.isEmpty else { return events }
        var now: [TaskEvent] = []
        for event in events {
            if event.kind != .created, isBeingCreated(event.taskID) { held.append(event) } else { now.append(event) }
        }
        return now
    }

    /// Ends a creation (its `task.created` events are published just before); returns
    /// the kept events no creation in flight holds back any more, in the order they came.
    mutating func end(_ ticket: Int) -> [TaskEvent] {
        inFlight[ticket] = nil
        guard !held.isEmpty else { return [] }
        var released: [TaskEvent] = []
        var still: [TaskEvent] = []
        for event in held {
            if isBeingCreated(event.taskID) { still.append(event) } else { released.append(event) }
        }
        held = still
        return released
    }

    private func isBeingCreated(_ id: UUID) -> Bool {
        inFlight.values.contains { $0.contains(id) }
    }
}
