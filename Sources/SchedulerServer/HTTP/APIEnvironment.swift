import Foundation
import Logging
import Scheduler
import SchedulerMCP

/// What the HTTP routes act on: the store, the engine, the handler registry (to check
/// contexts at enqueue time), the settings `/health` reports, the metrics export and the
/// MCP sessions.
public struct APIEnvironment: Sendable {
    public let store: any TaskStore
    public let engine: Engine
    public let registry: HandlerRegistry
    public let configuration: SchedulerConfiguration
    public let clock: any WallClock
    /// The registry `GET /metrics` shows; `nil` serves no metrics (404).
    public let export: PrometheusExport?
    /// The MCP sessions of `/mcp`.
    public let agentSessions: AgentToolSessions
    /// Where the API's tasks enter the queue: checked against the handlers and the
    /// webhook policy.
    public var intake: TaskIntake {
        TaskIntake(store: store, registry: registry, webhooks: configuration.webhooks, clock: clock)
    }
    /// How long `GET /health` waits for the database before answering 503: a probe must
    /// answer fast; tests on a loaded machine give it longer.
    public var healthDatabaseTimeout: Duration = .seconds(2)
    /// The key remote workers' lease tokens are signed with, read once.
    let leaseKeys = LeaseKeyring()

    public init(
        store: any TaskStore,
        engine: Engine,
        registry: HandlerRegistry,
        configuration: SchedulerConfiguration,
        clock: any WallClock = SystemClock(),
        export: PrometheusExport? = nil
    ) {
        self.store = store
        self.engine = engine
        self.registry = registry
        self.configuration = configuration
        self.clock = clock
        self.export = export
        agentSessions = AgentToolSessions(
            tools: AgentTools(
                store: store, registry: registry, configuration: configuration, clock: clock, logger: engine.logger),
            loopbackOnly: configuration.apiToken == nil, clock: clock, logger: engine.logger)
    }

    /// The engine's metrics, which the event streams count their clients in.
    var metrics: SchedulerMetrics { engine.metrics }
}
