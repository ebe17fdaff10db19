/// How the connections to PostgreSQL are pooled between this process and the server.
///
/// Behind a pooler in transaction mode (PgBouncer before 1.21, and poolers like it) a
/// connection is only this process's for one transaction: statements prepared on it
/// vanish, and `LISTEN` hears nothing. The store then claims with plain statements and
/// offers no wake-up listener, so the engine falls back to polling.
public enum DatabasePoolMode: String, Sendable, CaseIterable {
    /// Each connection stays this process's (direct, or a session-mode pooler).
    case session
    /// Each connection is this process's for one transaction only.
    case transaction

    /// The poll interval used behind a transaction pooler when none is set: wake-ups
    /// cannot arrive there, so the poller looks this often instead of every 30 s.
    public static let transactionPollInterval = Duration.seconds(1)
}
