import Logging
import Scheduler
import ServiceLifecycle
import UnixSignals

/// Runs a service until SIGTERM or SIGINT (Ctrl-C), then shuts it down gracefully,
/// saying so; a second signal calls `hurry`, which stops waiting for running work.
///
/// ServiceLifecycle's own signal handling stops listening after the first signal, so a
/// second Ctrl-C would do nothing while the grace period runs.
enum ShutdownSignals {
    static func run(_ service: some Service, logger: Logger, hurry: @escaping @Sendable () -> Void) async throws {
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                var received = 0
                for await signal in signals {
                    received += 1
                    if received == 1 {
                        logger.notice("received \(signal): stopping (send it again to stop at once)")
                        await group.triggerGracefulShutdown()
                    } else {
                        logger.notice("received \(signal) again: cancelling running tasks and releasing them")
                        hurry()
                    }
                }
            }
            try await tasks.next()
            tasks.cancelAll()
        }
    }
}
