import PostgresNIO
import Scheduler
import Synchronization

/// Notices a transaction-mode pooler that nobody declared (`DATABASE_POOL_MODE`): behind
/// one, a statement prepared on one server connection is missing on the next (SQLSTATE
/// 26000) or already there (42P05). Once seen, the store claims without prepared
/// statements for the rest of its life.
final class TransactionPoolerDetector: Sendable {
    private let seen = Atomic(false)

    /// Whether a transaction pooler has been seen.
    var detected: Bool { seen.load(ordering: .relaxed) }

    /// Whether `error` shows a transaction pooler; records it the first time.
    func reveals(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState], ["26000", "42P05"].contains(state) else { return false }
        return !seen.exchange(true, ordering: .relaxed)
    }
}
