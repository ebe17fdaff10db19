/// How long a database call may go without an answer before ``BoundedTaskStore`` gives
/// up on it and the caller retries.
///
/// The engine's own calls (claims, results, leases, the next due time, webhook and
/// worker bookkeeping) take milliseconds on a healthy database, so a few seconds of
/// silence means the connection is gone and the engine is back at work soon after;
/// reads and writes for the API and the dashboard may scan many rows and get longer.
public struct DatabaseBounds: Sendable {
    /// The engine's calls.
    public var hotPath: Duration
    /// Everything else but pruning and schema changes.
    public var general: Duration
    /// One batch of pruning, which deletes up to a batch of rows and their log.
    public var pruning: Duration

    public init(hotPath: Duration = .seconds(2), general: Duration = .seconds(30), pruning: Duration = .seconds(120)) {
        self.hotPath = hotPath
        self.general = general
        self.pruning = pruning
    }
}
