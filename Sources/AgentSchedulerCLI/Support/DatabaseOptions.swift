import ArgumentParser
import Scheduler

/// The settings of every command that uses the database and its task types; commands
/// that only use the database (`migrate`, `enqueue`, `tasks`, `handlers`, `load-sql`,
/// `load-tasks`) take only these, `serve` takes them among its own.
struct DatabaseOptions: SettingFlags {
    @Option(name: .customLong("database-url"),
            help: "postgres://… or a SQLite file path (env DATABASE_URL; default agent-scheduler.sqlite).")
    var databaseURL: String?

    @Option(name: .customLong("database-connect-timeout-ms"),
            help: "How long one-shot commands wait for the database (env DATABASE_CONNECT_TIMEOUT_MS; default 10000; serve waits as long as it takes).")
    var databaseConnectTimeoutMs: String?

    @Option(name: .customLong("database-pool-mode"),
            help: "session, or transaction behind a transaction-mode pooler such as PgBouncer (env DATABASE_POOL_MODE; default session).")
    var databasePoolMode: String?

    @Option(name: .customLong("log-format"),
            help: "text, or json for one object a line with Cloud Logging's severity (env LOG_FORMAT; default text).")
    var logFormat: String?

    @Option(name: .customLong("log-level"),
            help: "trace, debug, info, notice, warning, error or critical (env LOG_LEVEL; default info).")
    var logLevel: String?

    @Option(name: .customLong("remote-task-types"),
            help: "Task types run by workers outside, comma-separated (env REMOTE_TASK_TYPES; see POST /workers/claim).")
    var remoteTaskTypes: String?

    @Option(name: .customLong("task-types-file"),
            help: "JSON file declaring task types: remote or not, context schema, max_retries, lease (env TASK_TYPES_FILE).")
    var taskTypesFile: String?

    @Option(name: .customLong("task-limits"),
            help: "Per-type limits across instances, e.g. research_solution:concurrency=4,rate=60/1m;probe:concurrency=2 (env TASK_LIMITS).")
    var taskLimits: String?

    var flags: [ConfigurationSetting: String] {
        givenFlags([(.databaseURL, databaseURL), (.databaseConnectTimeoutMs, databaseConnectTimeoutMs),
            (.databasePoolMode, databasePoolMode), (.logFormat, logFormat), (.logLevel, logLevel),
            (.remoteTaskTypes, remoteTaskTypes), (.taskTypesFile, taskTypesFile), (.taskLimits, taskLimits)])
    }
}
