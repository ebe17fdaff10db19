import Logging
import Scheduler
import SchedulerWebhooks
import ServiceLifecycle

/// What `serve` runs beside the HTTP server, started only once the server listens (so a
/// port in use stops the process before any task is claimed): wait for the database,
/// apply migrations and write the declared schedules (`prepare`), then the engine, the rescuer, the wake-up listener, the webhook
/// dispatcher, the schedule ticker and the pruner until shutdown. While it waits, `/health` answers 503.
struct BackgroundWork: Service, CustomStringConvertible {
    let store: any TaskStore
    let engine: Engine
    let rescuer: Rescuer
    let listener: (any Service)?
    let webhooks: WebhookDispatcher
    let schedules: ScheduleTicker
    let pruner: Pruner
    let serverListening: Gate
    let prepare: @Sendable () async throws -> Void
    let logger: Logger

    /// What service-lifecycle logs of it: never the secrets its parts hold.
    var description: String { "BackgroundWork" }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                await serverListening.wait()
                try Task.checkCancellation()
                try await store.waitUntilReachable(limit: nil, logger: logger)
                try await prepare()
            }
        } catch is CancellationError {
            return
        }
        if Task.isCancelled || Task.isShuttingDownGracefully { return }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await engine.run() }
            group.addTask { await rescuer.run() }
            if let listener { group.addTask { try await listener.run() } }
            group.addTask { await webhooks.run() }
            group.addTask { await schedules.run() }
            group.addTask { try await pruner.run() }
        }
    }
}
