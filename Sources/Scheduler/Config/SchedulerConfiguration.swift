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
    /// Whether `SCHEDULER_API_TOKEN` was set to an empty string, which counts as no token;
    /// kept so that the refusal to bind a public address can say so.
    public var apiTokenSetButEmpty: Bool
    public var logLevel: Logger.Level
    /// Human-readable lines, or one JSON object a line (`LOG_FORMAT`).
    public var logFormat: LogFormat
    /// How long one-shot commands (`migrate`, `enqueue`, `tasks …`) wait for the database
    /// before giving up; `serve` waits as long as it takes.
    public var databaseConnectTimeout: Duration
    /// How a PostgreSQL database's connections are pooled on the way (`DATABASE_POOL_MODE`).
    public var databasePoolMode: DatabasePoolMode
    /// The longest an event stream stays silent: a comment line goes out after this much
    /// quiet so that proxies keep the connection (`EVENTS_HEARTBEAT_MS`).
    public var eventsHeartbeat: Duration
    /// Whether `GET /metrics` is served without the bearer token (`METRICS_PUBLIC`), for
    /// a Prometheus that cannot send one.
    public var metricsPublic: Bool
    /// Host names the HTTP server answers for beyond loopback and its own addresses
    /// (`ALLOWED_HOSTS`, comma-separated; `*` for any): the public name behind a proxy.
    public var allowedHosts: [String]
    /// How long a connection may sit without sending a whole request head (or between
    /// requests), and how long a request body may take to arrive (`HTTP_IDLE_TIMEOUT_MS`):
    /// slow or silent clients are closed instead of holding descriptors.
    public var httpIdleTimeout: Duration
    /// The task types declared beyond the compiled-in handlers: remote ones
    /// (`REMOTE_TASK_TYPES`) and those of the task-types file (`TASK_TYPES_FILE`).
    public var taskTypes: [TaskTypeDeclaration]
    /// Who is told of final states, and how (`WEBHOOK_*`).
    public var webhooks: WebhookConfiguration
    /// How many tasks of a type may run at once and start per period, across every
    /// instance: the task-types file's limits with `TASK_LIMITS` laid over them.
    public var taskLimits: TaskLimits
    /// Whether a schedule's tick missed while no instance ran is enqueued once at start
    /// or skipped (`SCHEDULE_MISSED`).
    public var scheduleMissed: MissedTicks
    /// How long finished work is kept (`RETENTION_COMPLETED`, `RETENTION_FAILED`,
    /// `RETENTION_LOG`).
    public var retention: RetentionPolicy
    /// Schedules declared in `SCHEDULES_FILE`, written at `serve`'s start.
    public var schedules: [ScheduleRequest]
    /// Where they were read from, for messages.
    public var schedulesFile: String?
    public var engine: EngineConfiguration

    public init(
        databaseURL: String = SchedulerConfiguration.defaultDatabaseURL,
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxRetries: Int = 3,
        apiToken: String? = nil,
        apiTokenSetButEmpty: Bool = false,
        logLevel: Logger.Level = .info,
        logFormat: LogFormat = .text,
        databaseConnectTimeout: Duration = .seconds(10),
        databasePoolMode: DatabasePoolMode = .session,
        eventsHeartbeat: Duration = .seconds(15),
        metricsPublic: Bool = false,
        allowedHosts: [String] = [],
        httpIdleTimeout: Duration = .seconds(30),
        taskTypes: [TaskTypeDeclaration] = [],
        webhooks: WebhookConfiguration = WebhookConfiguration(),
        taskLimits: TaskLimits = .none,
        scheduleMissed: MissedTicks = .once,
        retention: RetentionPolicy = RetentionPolicy(),
        schedules: [ScheduleRequest] = [],
        schedulesFile: String? = nil,
        engine: EngineConfiguration = EngineConfiguration()
    ) {
        self.databaseURL = databaseURL
        self.host = host
        self.port = port
        self.maxRetries = maxRetries
        self.apiToken = apiToken
        self.apiTokenSetButEmpty = apiTokenSetButEmpty
        self.logLevel = logLevel
        self.logFormat = logFormat
        self.databaseConnectTimeout = databaseConnectTimeout
        self.databasePoolMode = databasePoolMode
        self.eventsHeartbeat = eventsHeartbeat
        self.metricsPublic = metricsPublic
        self.allowedHosts = allowedHosts
        self.httpIdleTimeout = httpIdleTimeout
        self.taskTypes = taskTypes
        self.webhooks = webhooks
        self.taskLimits = taskLimits
        self.scheduleMissed = scheduleMissed
        self.retention = retention
        self.schedules = schedules
        self.schedulesFile = schedulesFile
        self.engine = engine
    }

    /// A SQLite file in the working folder, so the first run needs no setup.
    public static let defaultDatabaseURL = "agent-scheduler.sqlite"
}
