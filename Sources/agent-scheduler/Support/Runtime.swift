import Foundation
import Handlers
import Logging
import Scheduler

/// What every command needs once the configuration is read: logging set up, the handler
/// registry built, and a way to use the store.
struct Runtime {
    let configuration: SchedulerConfiguration
    let registry: HandlerRegistry
    let logger: Logger

    init(_ settings: SettingsOptions) throws {
        configuration = try settings.configuration()
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        logger = Logger(label: "agent-scheduler")
        registry = try HandlerRegistry(HandlerCatalog.all())
    }

    /// Opens the store, brings its schema up to date, runs `body`, and closes it.
    func withStore<T: Sendable>(migrating: Bool = true, _ body: (any TaskStore) async throws -> T) async throws -> T {
        try await StoreFactory.withStore(url: configuration.databaseURL, logger: logger) { store in
            if migrating {
                let applied = try await store.migrate()
                if !applied.isEmpty { logger.info("applied migrations", metadata: ["versions": "\(applied)"]) }
            }
            return try await body(store)
        }
    }
}

/// Writes values as pretty JSON on standard output.
enum Output {
    static func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
