import ArgumentParser
import Foundation
import Logging
import Metrics
import Scheduler
import SchedulerRequests
import SchedulerServer
import SchedulerService
import SchedulerWebhooks
import ServiceLifecycle

/// `agent-scheduler serve`: runs the HTTP API, the engine and the rescuer until SIGTERM
/// or SIGINT, which stop the server first, then drain the engine.
///
/// Everything that can be checked is checked before anything is opened; the server binds
/// its port before the engine claims a task; and whatever was opened is closed on every
/// error path.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the scheduler and its HTTP API until stopped (SIGTERM or Ctrl-C drain it; a second one stops at once).")

    @OptionGroup var settings: ServerOptions

    @Flag(name: .customLong("no-migrate"), help: "Do not apply schema migrations at start-up.")
    var noMigrate = false

    @Flag(name: .customLong("until-idle"), help: "Process every due task, then exit instead of waiting for more.")
    var untilIdle = false

    func run() async throws {
        let runtime = try Runtime(settings)
        if untilIdle { return try await runUntilIdle(runtime) }
        let configuration = runtime.configuration
        try configuration.checkServing()
        let logger = runtime.logger
        let store = try await StoreFactory.open(
            url: configuration.databaseURL, poolMode: configuration.databasePoolMode, announcing: .whenListened,
            webhooks: configuration.webhooks.subscriptions, limits: configuration.taskLimits, logger: logger)
        let server: Server
        do {
            try store.lockForServing()
            server = try makeServer(runtime, store: store)
        } catch {
            await store.close()
            throw error
        }
        logger.info("starting", metadata: [
            "version": "\(SchedulerVersion.current)", "database": "\(store.location)",
            "http": "http://\(configuration.host):\(configuration.port)",
        ])
        do {
            try await ShutdownSignals.run(server.application, logger: logger) { server.scheduler.abandonShutdownGrace() }
        } catch {
            await store.close()
            throw ServerAddressError(error, host: configuration.host, port: configuration.port) ?? error
        }
    }

    /// The HTTP application with the scheduler behind it.
    private struct Server {
        let application: any Service
        let scheduler: AgentScheduler
    }

    private func makeServer(_ runtime: Runtime, store: any TaskStore) throws -> Server {
        let configuration = runtime.configuration
        let logger = runtime.logger
        // One registry for this process: Hummingbird's request metrics go through the
        // bootstrapped factory, the engine's through the same one.
        let export = PrometheusExport()
        MetricsSystem.bootstrap(export.factory)
        let listening = Gate()
        let scheduler = try AgentScheduler(
            store: store, handlers: InstalledHandlers.current, configuration: configuration, schema: noMigrate ? .require : .migrate,
            metrics: SchedulerMetrics(factory: export.factory), logger: logger,
            startingAfter: { await listening.wait() })
        let environment = APIEnvironment(
            store: store, engine: scheduler.engine, registry: scheduler.registry, configuration: configuration,
            export: export)
        let application = try SchedulerAPI.application(environment, services: [store, scheduler], logger: logger) {
            listening.open()
            let url = "http://\(configuration.host):\(configuration.port)"
            logger.info("listening on \(url); next: curl \(url)/health, or `agent-scheduler enqueue noop` in another terminal")
        }
        return Server(application: application, scheduler: scheduler)
    }

    /// `--until-idle`: runs every due task once the database answers, then prints what
    /// happened.
    private func runUntilIdle(_ runtime: Runtime) async throws {
        let records = try await runtime.withStore(noMigrate ? .read : .migrate) { store, registry in
            // One server per SQLite file, a draining one too.
            try store.lockForServing()
            return await Engine(store: store, registry: registry, configuration: runtime.configuration.engine, logger: runtime.logger)
                .runUntilIdle()
        }
        let count = { (word: String) in records.filter { $0.outcome.word == word }.count }
        runtime.logger.info(
            "no due tasks left: processed \(records.count): \(count("completed")) completed, \(count("failed")) failed, \(count("retrying")) retrying")
    }
}
