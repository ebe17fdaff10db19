import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A real HTTP server on a loopback port that records every webhook it receives (header
/// names in lower case) and answers with the statuses it is given, then 200.
final class WebhookReceiver: Sendable {
    /// One request as received.
    struct Received: Sendable {
        let headers: [String: String]
        let body: String
    }

    private let state = Mutex<(answers: [Int], received: [Received])>(([], []))
    let port: Int

    private init(answers: [Int], port: Int) {
        self.port = port
        state.withLock { $0.answers = answers }
    }

    var received: [Received] { state.withLock { $0.received } }

    /// The URL the receiver answers at.
    var url: String { "http://127.0.0.1:\(port)/hook" }

    private func take(_ received: Received) -> Int {
        state.withLock { state in
            state.received.append(received)
            return state.answers.isEmpty ? 200 : state.answers.removeFirst()
        }
    }

    /// The server's own log, silent: cancelling it at the end of a test is not news.
    private static let quiet = Logger(label: "webhook-receiver", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `body` with a receiver answering `answers` in turn, then 200.
    static func with<T: Sendable>(
        answers: [Int] = [], _ body: @escaping @Sendable (WebhookReceiver) async throws -> T
    ) async throws -> T {
        let ready = AsyncStream<Int>.makeStream()
        let receiver = Mutex<WebhookReceiver?>(nil)
        let router = Router()
        router.post("/hook") { request, context -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let status = receiver.withLock { $0 }?.take(Received(headers: headers, body: String(buffer: buffer))) ?? 503
            // A failing receiver says something the API must not repeat.
            let said = status >= 300 ? ByteBuffer(string: "internal detail of the receiver") : ByteBuffer()
            return Response(status: .init(code: status), body: .init(byteBuffer: said))
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                ready.continuation.yield(channel.localAddress?.port ?? 0)
            },
            logger: quiet)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.runService()
                return nil
            }
            var iterator = ready.stream.makeAsyncIterator()
            guard let bound = await iterator.next() else { throw CancellationError() }
            let made = WebhookReceiver(answers: answers, port: bound)
            receiver.withLock { $0 = made }
            let result = try await body(made)
            group.cancelAll()
            return result
        }
    }
}
