import Foundation
import Scheduler
import Synchronization

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
    static let taskDescription = "Greets someone."
    static let contextSchema = ContextSchema.object([.string("name", "Who.", required: true), .integer("times", "How often.", required: true)])

    func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        Result(greeting: Array(repeating: "hello \(context.name)", count: context.times).joined(separator: " "))
    }
}
