import Foundation

/// Which attempt records a store applied, and which of those ended their task
/// `cancelled` because its cancellation had been requested meanwhile (whatever the
/// attempt returned): what the store's events must say.
package struct AppliedAttempts {
    package var ids: Set<UUID> = []
    package var cancelled: Set<UUID> = []

    package init(ids: Set<UUID> = [], cancelled: Set<UUID> = []) {
        self.ids = ids
        self.cancelled = cancelled
    }

    /// The records that applied, each as it applied.
    package func applied(_ records: [AttemptRecord]) -> [AttemptRecord] {
        records.compactMap { record in
            guard ids.contains(record.task.id) else { return nil }
            return cancelled.contains(record.task.id) ? record.cancelledOnRequest() : record
        }
    }
}
