import ArgumentParser
import Scheduler

/// Every setting of `serve`, one flag each, with its environment variable and default
/// (README's settings table).
struct ServerOptions: SettingFlags {
    @OptionGroup var database: RetentionOptions

    @Option(name: .customLong("host"), help: "Address the HTTP server binds (env HOST; default 127.0.0.1; others need SCHEDULER_API_TOKEN).")
    var host: String?

    @Option(name: .customLong("port"), help: "Port the HTTP server binds (env PORT; default 8080).")
    var port: String?

    @Option(name: .customLong("polling-interval-ms"), help: "Longest idle sleep between polls (env POLLING_INTERVAL_MS; default 30000).")
    var pollingIntervalMs: String?

    @Option(name: .customLong("max-tasks-per-poll"), help: "Most tasks one claim takes (env MAX_TASKS_PER_POLL; default 10).")
    var maxTasksPerPoll: String?

    @Option(name: .customLong("max-retries"), help: "Default max_retries of enqueued tasks (env MAX_RETRIES; default 3).")
    var maxRetries: String?

    @Option(name: .customLong("retry-base-delay-ms"), help: "Wait before the first retry, doubling after (env RETRY_BASE_DELAY_MS; default 60000).")
    var retryBaseDelayMs: String?

    @Option(name: .customLong("worker-concurrency"), help: "Most handlers running at once (env WORKER_CONCURRENCY; default 10).")
    var workerConcurrency: String?

    @Option(name: .customLong("lease-seconds"), help: "How long a claim holds a task (env LEASE_SECONDS; default 60).")
    var leaseSeconds: String?

    @Option(name: .customLong("handler-timeout-ms"), help: "Default limit on one attempt (env HANDLER_TIMEOUT_MS; default 300000).")
    var handlerTimeoutMs: String?

    @Option(name: .customLong("shutdown-grace-ms"), help: "Time running handlers get at shutdown (env SHUTDOWN_GRACE_MS; default 10000).")
    var shutdownGraceMs: String?

    @Option(name: .customLong("worker-id"), help: "This process's id in locks and logs (env WORKER_ID; default host-pid-random).")
    var workerID: String?

    @Option(name: .customLong("log-attempts"),
            help: "Log each finished attempt at info: true or false (env LOG_ATTEMPTS; default true).")
    var logAttempts: String?

    @Option(name: .customLong("events-heartbeat-ms"),
            help: "Longest silence on an event stream before a keep-alive comment (env EVENTS_HEARTBEAT_MS; default 15000).")
    var eventsHeartbeatMs: String?

    @Option(name: .customLong("metrics-public"),
            help: "Serve GET /metrics without the bearer token: true or false (env METRICS_PUBLIC; default false).")
    var metricsPublic: String?

    @Option(name: .customLong("allowed-hosts"),
            help: "Host names served beyond loopback and this machine's addresses, comma-separated; * for any (env ALLOWED_HOSTS).")
    var allowedHosts: String?

    @Option(name: .customLong("http-idle-timeout-ms"),
            help: "Close a connection that sends no whole request head, or no body, for this long (env HTTP_IDLE_TIMEOUT_MS; default 30000).")
    var httpIdleTimeoutMs: String?

    @Option(name: .customLong("webhook-urls"),
            help: "URLs told of every final state, comma-separated; type1|type2=URL for some types (env WEBHOOK_URLS).")
    var webhookURLs: String?

    @Option(name: .customLong("webhook-secret"), help: "Key of the Webhook-Signature HMAC (env WEBHOOK_SECRET).")
    var webhookSecret: String?

    @Option(name: .customLong("webhook-allow-private-addresses"),
            help: "true allows webhook URLs on loopback and private networks (env WEBHOOK_ALLOW_PRIVATE_ADDRESSES; default false).")
    var webhookAllowPrivateAddresses: String?

    @Option(name: .customLong("webhook-timeout-ms"), help: "Limit on one webhook send (env WEBHOOK_TIMEOUT_MS; default 10000).")
    var webhookTimeoutMs: String?

    @Option(name: .customLong("webhook-retry-window-seconds"),
            help: "How long a failing webhook is retried (env WEBHOOK_RETRY_WINDOW_SECONDS; default 86400).")
    var webhookRetryWindowSeconds: String?

    @Option(name: .customLong("schedule-missed"),
            help: "once: a schedule's tick missed while nothing ran is enqueued once at start; skip: not at all (env SCHEDULE_MISSED; default once).")
    var scheduleMissed: String?

    @Option(name: .customLong("schedules-file"),
            help: "JSON file of schedules written at start; unchanged ones keep their next tick (env SCHEDULES_FILE).")
    var schedulesFile: String?

    var flags: [ConfigurationSetting: String] {
        database.flags.merging(givenFlags([
            (.host, host), (.port, port), (.pollingIntervalMs, pollingIntervalMs),
            (.maxTasksPerPoll, maxTasksPerPoll), (.maxRetries, maxRetries), (.retryBaseDelayMs, retryBaseDelayMs),
            (.workerConcurrency, workerConcurrency), (.leaseSeconds, leaseSeconds),
            (.handlerTimeoutMs, handlerTimeoutMs), (.shutdownGraceMs, shutdownGraceMs), (.workerID, workerID),
            (.logAttempts, logAttempts), (.eventsHeartbeatMs, eventsHeartbeatMs), (.metricsPublic, metricsPublic),
            (.allowedHosts, allowedHosts), (.httpIdleTimeoutMs, httpIdleTimeoutMs),
            (.webhookURLs, webhookURLs), (.webhookSecret, webhookSecret),
            (.webhookAllowPrivateAddresses, webhookAllowPrivateAddresses), (.webhookTimeoutMs, webhookTimeoutMs),
            (.webhookRetryWindowSeconds, webhookRetryWindowSeconds), (.scheduleMissed, scheduleMissed),
            (.schedulesFile, schedulesFile),
        ])) { _, server in server }
    }
}
