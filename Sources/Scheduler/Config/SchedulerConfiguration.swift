import Logging

/// Everything `agent-scheduler` can be told, with the defaults of the task processor this project replaces.
///
/// Tests and embedders build it directly; the executable reads it from the environment
/// and flags in one place (``SchedulerConfiguration/init(reader:)``).
public struct SchedulerConfiguration: Sendable {
    /// `postgres://…` for PostgreSQL; anything else is a SQLite file path.
    public var databaseURL: String
    /// The address the HTTP server binds.
    public var host: String
    /// The port the HTTP server binds.
    public var port: Int
    /// The default `max_retries` of tasks enqueued here.
    public var maxRetries: Int
    /// The bearer token the HTTP API requires; `nil` allows loopback only.
    public var apiToken: String?
    public var logLevel: Logger.Level
    public var engine: EngineConfiguration

    public init(
        databaseURL: String = SchedulerConfiguration.defaultDatabaseURL,
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxRetries: Int = 3,
        apiToken: String? = nil,
        logLevel: Logger.Level = .info,
        engine: EngineConfiguration = EngineConfiguration()
    ) {
        self.databaseURL = databaseURL
        self.host = host
        self.port = port
        self.maxRetries = maxRetries
        self.apiToken = apiToken
        self.logLevel = logLevel
        self.engine = engine
    }

    /// A SQLite file in the working folder, so the first run needs no setup.
    public static let defaultDatabaseURL = "agent-scheduler.sqlite"
}
