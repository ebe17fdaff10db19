import ArgumentParser
import Configuration
import Scheduler

/// The flags that override the environment variables (README's settings table), one per setting.
///
/// Values stay strings here; ``SchedulerConfiguration/init(reader:)`` validates flags and
/// environment alike, so a bad value gets the same message whichever way it came.
struct SettingsOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "postgres://… or a SQLite file path (env DATABASE_URL).")
    var databaseURL: String?

    @Option(name: .customLong("host"), help: "Address the HTTP server binds (env HOST).")
    var host: String?

    @Option(name: .customLong("port"), help: "Port the HTTP server binds (env PORT).")
    var port: String?

    @Option(name: .customLong("polling-interval-ms"), help: "Longest idle sleep between polls (env POLLING_INTERVAL_MS).")
    var pollingIntervalMs: String?

    @Option(name: .customLong("max-tasks-per-poll"), help: "Most tasks one claim takes (env MAX_TASKS_PER_POLL).")
    var maxTasksPerPoll: String?

    @Option(name: .customLong("max-retries"), help: "Default max_retries of enqueued tasks (env MAX_RETRIES).")
    var maxRetries: String?

    @Option(name: .customLong("retry-base-delay-ms"), help: "Wait before the first retry (env RETRY_BASE_DELAY_MS).")
    var retryBaseDelayMs: String?

    @Option(name: .customLong("worker-concurrency"), help: "Most handlers running at once (env WORKER_CONCURRENCY).")
    var workerConcurrency: String?

    @Option(name: .customLong("lease-seconds"), help: "How long a claim holds a task (env LEASE_SECONDS).")
    var leaseSeconds: String?

    @Option(name: .customLong("handler-timeout-ms"), help: "Default limit on one attempt (env HANDLER_TIMEOUT_MS).")
    var handlerTimeoutMs: String?

    @Option(name: .customLong("shutdown-grace-ms"), help: "Time running handlers get at shutdown (env SHUTDOWN_GRACE_MS).")
    var shutdownGraceMs: String?

    @Option(name: .customLong("worker-id"), help: "This process's id in locks and logs (env WORKER_ID).")
    var workerID: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (env LOG_LEVEL).")
    var logLevel: String?

    /// The flag values that were given, keyed like the settings.
    private var flags: [ConfigurationSetting: String] {
        let pairs: [(ConfigurationSetting, String?)] = [
            (.databaseURL, databaseURL), (.host, host), (.port, port), (.pollingIntervalMs, pollingIntervalMs),
            (.maxTasksPerPoll, maxTasksPerPoll), (.maxRetries, maxRetries), (.retryBaseDelayMs, retryBaseDelayMs),
            (.workerConcurrency, workerConcurrency), (.leaseSeconds, leaseSeconds),
            (.handlerTimeoutMs, handlerTimeoutMs), (.shutdownGraceMs, shutdownGraceMs), (.workerID, workerID),
            (.logLevel, logLevel),
        ]
        return Dictionary(uniqueKeysWithValues: pairs.compactMap { setting, value in value.map { (setting, $0) } })
    }

    /// The configuration from these flags over the process environment.
    func configuration() throws -> SchedulerConfiguration {
        let flagValues = Dictionary(uniqueKeysWithValues: flags.map { setting, value in
            (AbsoluteConfigKey(setting.key), ConfigValue(.string(value), isSecret: setting.isSecret))
        })
        let reader = ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: flagValues),
            EnvironmentVariablesProvider(secretsSpecifier: .specific(
                Set(ConfigurationSetting.allCases.filter(\.isSecret).map(\.environmentVariable)))),
        ])
        return try SchedulerConfiguration(reader: reader)
    }
}
