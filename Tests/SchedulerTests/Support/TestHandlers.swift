import Foundation
import Scheduler
import Synchronization

/// The handlers most engine tests register.
let testHandlers: [any TaskHandler] = [NoopHandler(), FlakyHandler(), GreetHandler()]

/// Fails retryably until the attempt number exceeds `fail_times`, then succeeds.
struct FlakyHandler: TaskHandler {
    struct Context: Codable, Sendable {
        var failTimes: Int
        var permanent: Bool?

        enum CodingKeys: String, CodingKey {
            case failTimes = "fail_times"
            case permanent
        }
    }

    struct Result: Encodable, Sendable {
        var attempt: Int
    }

    static let taskType = "flaky"

    func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        if invocation.attempt <= context.failTimes {
            if context.permanent == true { throw HandlerError.permanent("permanent failure on attempt \(invocation.attempt)") }
            throw HandlerError.retryable("transient failure on attempt \(invocation.attempt)")
        }
        return Result(attempt: invocation.attempt)
    }
}

/// Requires a typed context, to exercise context decoding.
struct GreetHandler: TaskHandler {
    struct Context: Codable, Sendable {
        var name: String
        var times: Int
    }

    struct Result: Encodable, Sendable {
        var greeting: String
    }

    static let taskType = "greet"

    func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        Result(greeting: Array(repeating: "hello \(context.name)", count: context.times).joined(separator: " "))
    }
}

/// Blocks every attempt until the test opens the gate, and reports each start.
struct GateHandler: TaskHandler {
    typealias Context = NoopHandler.Context

    struct Result: Encodable, Sendable {}

    static let taskType = "gate"

    let gate: Gate
    let started: AsyncStream<UUID>.Continuation

    func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        started.yield(invocation.task.id)
        try await gate.wait()
        return Result()
    }
}

/// A one-shot barrier: waiters return once it is opened, or throw when cancelled.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [UUID: CheckedContinuation<Void, any Error>] = [:]
    }

    private let state = Mutex(State())

    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let result = state.withLock { state -> Result<Void, any Error>? in
                    if state.isOpen { return .success(()) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let result { continuation.resume(with: result) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
