import Foundation
import Handlers
import Logging
import Scheduler

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
    }

    /// The registry of every handler in ``HandlerCatalog``, acting on `store`'s database,
    /// and of the task types the configuration declares.
    func registry(for store: any TaskStore) throws -> HandlerRegistry {
        let registry = try HandlerRegistry(HandlerCatalog.all(for: store), declarations: configuration.taskTypes)
        try registry.check(configuration.taskLimits)
        return registry
    }

    /// Applies the engine's and the handlers' migrations, logging what it applied.
    func migrate(_ store: any TaskStore) async throws -> [AppliedMigration] {
        let applied = try await store.migrate(modules: HandlerCatalog.schema)
        if !applied.isEmpty {
            logger.info("applied migrations", metadata: ["migrations": "\(applied.map(\.description).joined(separator: ", "))"])
        }
        return applied
    }

    /// Opens the store, waits up to the connect timeout for the database to answer,
    /// brings its schema up to date, runs `body` with the store and the handler
    /// registry, and closes the store, on every path.
    func withStore<T: Sendable>(
        migrating: Bool = true,
        _ body: (any TaskStore, HandlerRegistry) async throws -> T
    ) async throws -> T {
        try await StoreFactory.withStore(
            url: configuration.databaseURL, poolMode: configuration.databasePoolMode,
            webhooks: configuration.webhooks.subscriptions, limits: configuration.taskLimits, logger: logger
        ) { store in
            try await store.waitUntilReachable(limit: configuration.databaseConnectTimeout, logger: logger)
            let registry = try registry(for: store)
            if migrating { _ = try await migrate(store) }
            return try await body(store, registry)
        }
    }
}
