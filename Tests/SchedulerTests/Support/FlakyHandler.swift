import Foundation
import Scheduler
import Synchronization

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
    static let taskDescription = "Fails its first attempts."
    static let contextSchema = ContextSchema.object([.integer("fail_times", "Attempts that fail.", required: true), .boolean("permanent", "Whether failures are permanent.")])

    func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        if invocation.attempt <= context.failTimes {
            if context.permanent == true { throw HandlerError.permanent("permanent failure on attempt \(invocation.attempt)") }
            throw HandlerError.retryable("transient failure on attempt \(invocation.attempt)")
        }
        return Result(attempt: invocation.attempt)
    }
}
