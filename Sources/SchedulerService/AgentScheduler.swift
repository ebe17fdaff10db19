import Foundation
import Logging
import Scheduler
import SchedulerWebhooks
import ServiceLifecycle

/// One scheduler instance: every long-running part wired once, for `serve`, the benchmark
/// and any application that embeds the scheduler.
///
/// Its `run()` waits for `startingAfter` (serve opens it once its port is bound), waits
/// for the database, brings the schema up to date (or only checks it), writes the
/// configuration's declared schedules, and then runs the engine (with its lease keeper),
/// the rescuer, the wake-up listener, the webhook dispatcher, the schedule ticker and the
/// pruner as members of one `ServiceGroup` until a graceful shutdown, which stops them
/// in the reverse of that order: the engine, first in the group, drains last. The store's
/// own `run()` is the caller's to run beside it (in the same outer group), since the
/// HTTP API uses the store too.
public struct AgentScheduler: Service, CustomStringConvertible {
    /// What ``AgentScheduler`` does with the database's schema before it starts.
    public enum SchemaUse: Sendable {
        /// Applies the engine's migrations and the handler set's modules'.
        case migrate
        /// Fails with ``MissingSchemaError`` unless the schema is already this build's
        /// (`serve --no-migrate`).
        case require
    }

    public let store: any TaskStore
    public let registry: HandlerRegistry
    public let engine: Engine
    public let configuration: SchedulerConfiguration
    private let parts: [any Service]
    private let schema: SchemaUse
    private let modules: [any SchemaModule]
    private let book: ScheduleBook
    private let startingAfter: @Sendable () async -> Void
    private let logger: Logger

    /// What service-lifecycle logs of it: never the secrets its parts hold.
    public var description: String { "AgentScheduler" }

    /// Wires an instance over `store` with the handlers of `handlers` and the task types
    /// `configuration` declares; fails if a declared schedule, task type or limit does
    /// not fit them.
    public init(
        store: any TaskStore,
        handlers: HandlerSet,
        configuration: SchedulerConfiguration,
        schema: SchemaUse = .migrate,
        metrics: SchedulerMetrics = SchedulerMetrics(),
        logger: Logger,
        startingAfter: @escaping @Sendable () async -> Void = {}
    ) throws {
        let registry = try handlers.registry(for: store, configuration: configuration)
        let book = ScheduleBook(store: store, registry: registry)
        for request in configuration.schedules {
            do {
                try book.check(request)
            } catch {
                throw ConfigurationError.schedulesFile(
                    path: configuration.schedulesFile ?? "", problem: "schedule '\(request.name)': \(error)")
            }
        }
        let engine = Engine(
            store: store, registry: registry, configuration: configuration.engine, metrics: metrics, logger: logger)
        var parts: [any Service] = [
            engine,
            Rescuer(store: store, configuration: configuration.engine, metrics: metrics, logger: logger),
        ]
        if let listener = store.wakeListener(logger: logger, wake: { engine.triggerPoll() }) { parts.append(listener) }
        parts += [
            WebhookDispatcher(
                store: store, configuration: configuration.webhooks, dispatcherID: configuration.engine.workerID,
                metrics: metrics, logger: logger),
            ScheduleTicker(
                store: store, registry: registry, missed: configuration.scheduleMissed,
                maxRetries: configuration.maxRetries, logger: logger),
            Pruner(store: store, policy: configuration.retention, logger: logger),
        ]
        self.store = store
        self.registry = registry
        self.engine = engine
        self.configuration = configuration
        self.parts = parts
        self.schema = schema
        self.modules = handlers.schema
        self.book = book
        self.startingAfter = startingAfter
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                await startingAfter()
                try Task.checkCancellation()
                try await store.waitUntilReachable(limit: nil, logger: logger)
                try await prepare()
            }
        } catch is CancellationError {
            return
        }
        if Task.isCancelled || Task.isShuttingDownGracefully { return }
        let group = ServiceGroup(
            configuration: .init(
                services: parts.map { .init(service: $0, successTerminationBehavior: .ignore) },
                gracefulShutdownSignals: [], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                // The outer group's graceful shutdown becomes this group's; cancelled
                // once the group has ended.
                do { try await gracefulShutdown() } catch { return }
                await group.triggerGracefulShutdown()
            }
            try await group.run()
            tasks.cancelAll()
        }
    }

    /// Lets the engine's handlers go at once instead of waiting out the shutdown grace
    /// (a second SIGTERM).
    public func abandonShutdownGrace() {
        engine.abandonShutdownGrace()
    }

    /// The schema as ``SchemaUse`` says, then the declared schedules.
    private func prepare() async throws {
        switch schema {
        case .migrate:
            let applied = try await store.migrate(modules: modules)
            if !applied.isEmpty {
                logger.info(
                    "applied migrations", metadata: ["migrations": "\(applied.map(\.description).joined(separator: ", "))"])
            }
        case .require:
            try await store.requireSchema()
        }
        let written = try await book.declare(configuration.schedules, now: Date())
        if !written.isEmpty {
            logger.info("wrote declared schedules", metadata: ["schedules": "\(written.joined(separator: ","))"])
        }
    }
}
