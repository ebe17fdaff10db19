import Foundation
import Logging

/// What the HTTP routes act on: the store, the engine, the handler registry (to check
/// contexts at enqueue time) and the settings `/health` reports.
public struct APIEnvironment: Sendable {
    public let store: any TaskStore
    public let engine: Engine
    public let registry: HandlerRegistry
    public let configuration: SchedulerConfiguration
    public let clock: any WallClock

    public init(
        store: any TaskStore,
        engine: Engine,
        registry: HandlerRegistry,
        configuration: SchedulerConfiguration,
        clock: any WallClock = SystemClock()
    ) {
        self.store = store
        self.engine = engine
        self.registry = registry
        self.configuration = configuration
        self.clock = clock
    }
}
