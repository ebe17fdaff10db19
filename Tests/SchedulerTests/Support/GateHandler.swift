import Foundation
import Scheduler
import Synchronization

/// Blocks every attempt until the test opens the gate, and reports each start.
struct GateHandler: TaskHandler {
    typealias Context = NoopHandler.Context

    struct Result: Encodable, Sendable {}

    static let taskType = "gate"
    static let taskDescription = "Waits until the test opens its gate."
    static let contextSchema = ContextSchema.anyObject("Not read.")

    let gate: Gate
    let started: AsyncStream<UUID>.Continuation

    func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        started.yield(invocation.task.id)
        await gate.wait()
        try Task.checkCancellation()
        return Result()
    }
}
