import Foundation

/// How an ``Engine`` claims and runs tasks. Every field has the default of the task processor this
/// project replaces, so `EngineConfiguration()` is a working setup.
public struct EngineConfiguration: Sendable, Hashable {
    /// Identifies this process in `locked_by` and the action log; unique per process.
    public var workerID: String
    /// The longest the poller sleeps when nothing wakes it (the task processor's: 30 s).
    public var pollInterval: Duration
    /// The most tasks one claim takes (the task processor's: 10).
    public var batchSize: Int
    /// The most handlers running at once.
    public var concurrency: Int
    /// How long a claim holds a task before another worker may rescue it; running tasks
    /// have their lease extended every third of this.
    public var lease: Duration
    /// How long one attempt may run when its handler sets no timeout of its own.
    public var handlerTimeout: Duration
    /// At shutdown, how long running handlers get to finish before they are cancelled
    /// and their tasks released.
    public var shutdownGrace: Duration
    /// How often the rescuer looks for expired leases.
    public var rescueInterval: Duration
    /// Backoff between attempts.
    public var retryPolicy: RetryPolicy
    /// Whether each completed attempt is logged at `info` (type, id, duration); off, at
    /// `debug`, for deployments where that is too many lines. Failed attempts are always
    /// logged, as warnings (will retry) or errors (failed for good).
    public var logAttempts: Bool
    /// The least time between two progress writes of one attempt: a handler reporting
    /// in a tight loop costs at most one write per interval (the latest report wins, and
    /// one held back is written with the result).
    public var progressInterval: Duration
    /// How often running tasks are checked for cancellation requests the event bus did
    /// not carry (another process on a SQLite file, a lost notification).
    public var cancellationCheckInterval: Duration
    /// How often the engine renews its row in the workers table (``WorkerPresence``).
    public var presenceInterval: Duration

    public init(
        workerID: String = EngineConfiguration.defaultWorkerID(),
        pollInterval: Duration = .seconds(30),
        batchSize: Int = 10,
        concurrency: Int = 10,
        lease: Duration = .seconds(60),
        handlerTimeout: Duration = .seconds(300),
        shutdownGrace: Duration = .seconds(10),
        rescueInterval: Duration = .seconds(15),
        retryPolicy: RetryPolicy = RetryPolicy(),
        logAttempts: Bool = true,
        progressInterval: Duration = .milliseconds(250),
        cancellationCheckInterval: Duration = .seconds(1),
        presenceInterval: Duration = .seconds(10)
    ) {
        self.workerID = workerID
        self.pollInterval = pollInterval
        self.batchSize = batchSize
        self.concurrency = concurrency
        self.lease = lease
        self.handlerTimeout = handlerTimeout
        self.shutdownGrace = shutdownGrace
        self.rescueInterval = rescueInterval
        self.retryPolicy = retryPolicy
        self.logAttempts = logAttempts
        self.progressInterval = progressInterval
        self.cancellationCheckInterval = cancellationCheckInterval
        self.presenceInterval = presenceInterval
    }

    /// `host-pid-random`: distinct for every process, readable in the database.
    public static func defaultWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        let suffix = UUID().uuidString.prefix(8).lowercased()
        return "\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(suffix)"
    }
}
