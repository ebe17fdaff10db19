import Hummingbird
import NIOCore
import Scheduler
import SchedulerRequests

/// Reads a whole request body within a time limit, so a client that trickles a body
/// byte by byte (each byte keeping the connection from going idle) cannot hold a
/// connection and a request for as long as it likes: past the limit it gets 408.
enum BodyReader {
    /// The longest a request body may take to arrive.
    static let timeLimit = Duration.seconds(30)

    static func collect(_ request: Request, upTo limit: Int) async throws -> ByteBuffer {
        let body = request.body
        return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await body.collect(upTo: limit) }
            group.addTask {
                try await Task.sleep(for: timeLimit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let buffer = first else {
                throw APIError(
                    .requestTimeout, code: "body_too_slow",
                    message: "the request body did not arrive within \(Int(timeLimit.timeInterval)) s")
            }
            return buffer
        }
    }
}
