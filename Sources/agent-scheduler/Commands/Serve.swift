import ArgumentParser
import Logging
import Scheduler
import ServiceLifecycle

/// `agent-scheduler serve`: runs the HTTP API, the engine and the rescuer until SIGTERM
/// or SIGINT, which stop the server first, then drain the engine.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the scheduler and its HTTP API until stopped (SIGTERM or SIGINT drain it gracefully).")

    @OptionGroup var settings: SettingsOptions

    @Flag(name: .customLong("no-migrate"), help: "Do not apply schema migrations at start-up.")
    var noMigrate = false

    @Flag(name: .customLong("until-idle"), help: "Process every due task, then exit instead of waiting for more.")
    var untilIdle = false

    func run() async throws {
        let runtime = try Runtime(settings)
        let logger = runtime.logger
        if !noMigrate {
            try await runtime.withStore { _, _ in }
        }
        if untilIdle {
            let records = try await runtime.withStore(migrating: false) { store, registry in
                await makeEngine(runtime, store: store, registry: registry).runUntilIdle()
            }
            logger.info("no due tasks left", metadata: ["attempts": "\(records.count)"])
            return
        }

        let store = try await StoreFactory.open(url: runtime.configuration.databaseURL, logger: logger)
        let registry = try runtime.registry(for: store)
        let engine = makeEngine(runtime, store: store, registry: registry)
        let rescuer = Rescuer(store: store, configuration: runtime.configuration.engine, logger: logger)
        let environment = APIEnvironment(
            store: store, engine: engine, registry: registry, configuration: runtime.configuration)
        var services: [any Service] = [store, rescuer]
        if let listener = store.wakeListener(logger: logger, wake: { engine.triggerPoll() }) { services.append(listener) }
        services.append(engine)
        let application = try SchedulerAPI.application(environment, services: services, logger: logger)
        try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    private func makeEngine(_ runtime: Runtime, store: any TaskStore, registry: HandlerRegistry) -> Engine {
        Engine(
            store: store,
            registry: registry,
            configuration: runtime.configuration.engine,
            logger: runtime.logger
        )
    }
}
