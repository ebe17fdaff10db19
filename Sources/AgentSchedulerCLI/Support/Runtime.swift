import Foundation
import Logging
import Scheduler
import SchedulerService

/// What every command needs once the configuration is read: logging set up, and a way
/// to use the store with the handler registry built over it.
struct Runtime {
    let configuration: SchedulerConfiguration
    let logger: Logger

    init(_ settings: some SettingFlags, extra: [ConfigurationSetting: String] = [:]) throws {
        configuration = try settings.configuration(extra: extra)
        let level = configuration.logLevel
        let format = configuration.logFormat
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                switch format {
                case .text: StreamLogHandler.standardError(label: label)
                case .json: JSONLogHandler(label: label)
                }
            handler.logLevel = level
            return handler
        }
        logger = Logger(label: "agent-scheduler")
        for (name, setting) in Self.mistypedSettings(in: ProcessInfo.processInfo.environment) {
            Self.announce("warning: \(name) is set, but no setting has that name: did you mean \(setting)?")
        }
    }

    /// Environment variables one or two letters away from a setting's name (and not a
    /// setting themselves), with the setting each was probably meant to be.
    static func mistypedSettings(in environment: [String: String]) -> [(String, String)] {
        let names = ConfigurationSetting.allCases.map(\.environmentVariable)
        return environment.keys.sorted().compactMap { key in
            guard key.count >= 6, !names.contains(key) else { return nil }
            let near = names.first { UnknownSubcommand.distance(key, $0) <= 2 }
            return near.map { (key, $0) }
        }
    }

    /// The registry of every handler of the installed ``HandlerSet``, acting on `store`'s
    /// database, and of the task types the configuration declares.
    func registry(for store: any TaskStore) throws -> HandlerRegistry {
        try InstalledHandlers.current.registry(for: store, configuration: configuration)
    }

    /// Applies the engine's and the handlers' migrations, logging what it applied.
    func migrate(_ store: any TaskStore) async throws -> [AppliedMigration] {
        let applied = try await store.migrate(modules: InstalledHandlers.current.schema)
        if !applied.isEmpty {
            logger.info("applied migrations", metadata: ["migrations": "\(applied.map(\.description).joined(separator: ", "))"])
        }
        return applied
    }

    /// What a command does with the database's schema.
    enum SchemaUse {
        /// Brings it up to date first, creating a new SQLite file if there is none:
        /// commands that write.
        case migrate
        /// Needs it as it is: a SQLite file that does not exist is not created, and a
        /// database without the schema is one line naming `migrate`. Commands that read,
        /// and `serve --no-migrate`.
        case read
        /// Leaves it to the command (`migrate` itself).
        case untouched
    }

    /// Opens the store, waits up to the connect timeout for the database to answer, says
    /// on stderr which database it is (and whether it was just created), deals with its
    /// schema as `use` says, runs `body` with the store and the handler registry, and
    /// closes the store, on every path.
    func withStore<T: Sendable>(
        _ use: SchemaUse = .migrate,
        _ body: (any TaskStore, HandlerRegistry) async throws -> T
    ) async throws -> T {
        let path = StoreFactory.sqlitePath(configuration.databaseURL)
        let isNew = path.map { !FileManager.default.fileExists(atPath: $0) } ?? false
        if use == .read, isNew, let path {
            let which = configuration.databaseURL == SchedulerConfiguration.defaultDatabaseURL
                ? "DATABASE_URL is not set: this is the default" : "as DATABASE_URL says"
            throw CommandError(
                "no database at \(path) (\(which)); nothing was created. Set DATABASE_URL to the database `serve` uses, "
                    + "or create this one with `agent-scheduler migrate`")
        }
        return try await StoreFactory.withStore(
            url: configuration.databaseURL, poolMode: configuration.databasePoolMode,
            webhooks: configuration.webhooks.subscriptions, limits: configuration.taskLimits, logger: logger
        ) { store in
            try await store.waitUntilReachable(limit: configuration.databaseConnectTimeout, logger: logger)
            Self.announce("database: \(store.location)\(isNew ? " (new: created it)" : "")")
            let registry = try registry(for: store)
            switch use {
            case .migrate: _ = try await migrate(store)
            case .read: try await store.requireSchema()
            case .untouched: break
            }
            do {
                return try await body(store, registry)
            } catch where MissingSchemaError.isMissingSchema(error) {
                throw MissingSchemaError(location: store.location)
            }
        }
    }

    /// One line on stderr, outside the log (whose level may hide it).
    static func announce(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
