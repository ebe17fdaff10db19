import Configuration

/// One configuration setting: its environment variable and its command-line flag.
///
/// Flags win over the environment; an invalid value of either is a start-up error that
/// names both spellings.
public enum ConfigurationSetting: String, CaseIterable, Sendable {
    case databaseURL = "DATABASE_URL"
    case host = "HOST"
    case allowedHosts = "ALLOWED_HOSTS"
    case httpIdleTimeoutMs = "HTTP_IDLE_TIMEOUT_MS"
    case port = "PORT"
    case pollingIntervalMs = "POLLING_INTERVAL_MS"
    case maxTasksPerPoll = "MAX_TASKS_PER_POLL"
    case maxRetries = "MAX_RETRIES"
    case retryBaseDelayMs = "RETRY_BASE_DELAY_MS"
    case workerConcurrency = "WORKER_CONCURRENCY"
    case leaseSeconds = "LEASE_SECONDS"
    case handlerTimeoutMs = "HANDLER_TIMEOUT_MS"
    case shutdownGraceMs = "SHUTDOWN_GRACE_MS"
    case apiToken = "SCHEDULER_API_TOKEN"
    case workerID = "WORKER_ID"
    case logLevel = "LOG_LEVEL"
    case logAttempts = "LOG_ATTEMPTS"
    case logFormat = "LOG_FORMAT"
    case databaseConnectTimeoutMs = "DATABASE_CONNECT_TIMEOUT_MS"
    case databasePoolMode = "DATABASE_POOL_MODE"
    case eventsHeartbeatMs = "EVENTS_HEARTBEAT_MS"
    case metricsPublic = "METRICS_PUBLIC"
    case remoteTaskTypes = "REMOTE_TASK_TYPES"
    case taskTypesFile = "TASK_TYPES_FILE"
    case webhookURLs = "WEBHOOK_URLS"
    case taskLimits = "TASK_LIMITS"
    case scheduleMissed = "SCHEDULE_MISSED"
    case schedulesFile = "SCHEDULES_FILE"
    case retentionCompleted = "RETENTION_COMPLETED"
    case retentionFailed = "RETENTION_FAILED"
    case retentionLog = "RETENTION_LOG"
    case webhookSecret = "WEBHOOK_SECRET"
    case webhookAllowPrivateAddresses = "WEBHOOK_ALLOW_PRIVATE_ADDRESSES"
    case webhookTimeoutMs = "WEBHOOK_TIMEOUT_MS"
    case webhookRetryWindowSeconds = "WEBHOOK_RETRY_WINDOW_SECONDS"

    /// The environment variable, e.g. `POLLING_INTERVAL_MS`.
    public var environmentVariable: String { rawValue }

    /// The flag, e.g. `--polling-interval-ms`.
    public var flag: String { "--" + rawValue.lowercased().replacingOccurrences(of: "_", with: "-") }

    /// The key under which swift-configuration finds the setting: the environment
    /// provider spells `["polling", "interval", "ms"]` as `POLLING_INTERVAL_MS`.
    public var key: ConfigKey { ConfigKey(rawValue.lowercased().split(separator: "_").map(String.init)) }

    /// Whether the value must never be logged.
    public var isSecret: Bool { self == .apiToken || self == .databaseURL || self == .webhookSecret }

    /// How error messages name the setting.
    package var displayName: String { "\(environmentVariable) (\(flag))" }
}
