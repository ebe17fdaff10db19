import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal Server-Sent Events client over a real TCP connection, for tests of
/// streams that never end on their own: sends one GET and hands out the response's
/// frames as they arrive.
public enum SSEClient {
    /// One frame of the stream: an event (with its id, name and data) or a comment.
    public struct Frame: Sendable, Equatable {
        public var id: String?
        public var event: String?
        public var data: String?
        public var comment: String?
    }

    /// Reads frames from an open stream.
    public struct Reader {
        public let status: Int
        public let headers: [(String, String)]
        var parts: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
        var buffer = ""

        /// The next frame, or `nil` once the server ended the response.
        public mutating func next() async throws -> Frame? {
            while true {
                if let range = buffer.range(of: "\n\n") {
                    let block = buffer[..<range.lowerBound]
                    buffer.removeSubrange(..<range.upperBound)
                    return Self.parse(block)
                }
                switch try await parts.next() {
                case .body(let bytes)?: buffer += String(buffer: bytes)
                case .end?, nil: return nil
                case .head?: continue
                }
            }
        }

        /// The next frame that is an event (comments skipped), or `nil` at the end.
        public mutating func nextEvent() async throws -> Frame? {
            while let frame = try await next() {
                if frame.comment == nil { return frame }
            }
            return nil
        }

        static func parse(_ block: Substring) -> Frame {
            var frame = Frame()
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(":") {
                    frame.comment = String(line.dropFirst().drop(while: { $0 == " " }))
                    continue
                }
                guard let colon = line.firstIndex(of: ":") else { continue }
                let value = String(line[line.index(after: colon)...].drop(while: { $0 == " " }))
                switch line[..<colon] {
                case "id": frame.id = value
                case "event": frame.event = value
                case "data": frame.data = (frame.data.map { $0 + "\n" } ?? "") + value
                default: break
                }
            }
            return frame
        }
    }

    /// Opens `GET path` on 127.0.0.1:`port` with `headers`, runs `body` with a reader of
    /// the response, then closes the connection.
    public static func withStream<T: Sendable>(
        port: Int, path: String, headers: [(String, String)] = [],
        _ body: (inout Reader) async throws -> T
    ) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
            head.headers.add(name: "Host", value: "127.0.0.1:\(port)")
            head.headers.add(name: "Accept", value: "text/event-stream")
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            try await outbound.write(.head(head))
            try await outbound.write(.end(nil))
            var parts = inbound.makeAsyncIterator()
            guard case .head(let response)? = try await parts.next() else {
                throw SSEClientError.noResponse
            }
            var reader = Reader(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, parts: parts)
            return try await body(&reader)
        }
    }
}

/// The server closed the connection before answering.
public enum SSEClientError: Error {
    case noResponse
}
