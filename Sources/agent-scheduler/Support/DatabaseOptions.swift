import ArgumentParser
import Scheduler

/// The settings of commands that only use the database: `migrate`, `enqueue`, `tasks`,
/// `handlers`, `load-sql`.
struct DatabaseOptions: SettingFlags {
    @Option(name: .customLong("database-url"),
            help: "postgres://… or a SQLite file path (env DATABASE_URL; default agent-scheduler.sqlite).")
    var databaseURL: String?

    @Option(name: .customLong("database-connect-timeout-ms"),
            help: "How long to wait for the database before giving up (env DATABASE_CONNECT_TIMEOUT_MS; default 10000).")
    var databaseConnectTimeoutMs: String?

    @Option(name: .customLong("database-pool-mode"),
            help: "session, or transaction behind a transaction-mode pooler such as PgBouncer (env DATABASE_POOL_MODE; default session).")
    var databasePoolMode: String?

    @Option(name: .customLong("log-level"),
            help: "trace, debug, info, notice, warning, error or critical (env LOG_LEVEL; default info).")
    var logLevel: String?

    var flags: [ConfigurationSetting: String] {
        givenFlags([(.databaseURL, databaseURL), (.databaseConnectTimeoutMs, databaseConnectTimeoutMs),
            (.databasePoolMode, databasePoolMode), (.logLevel, logLevel)])
    }
}
