import Foundation
import HTTPTypes
import Hummingbird
import MCP
import NIOCore
import Scheduler
import SchedulerMCP
import ServiceLifecycle

/// `/mcp`: the MCP tools over Streamable HTTP, behind the API's bearer token. Passes
/// each request to ``AgentToolSessions`` and its answer back: JSON, an SSE stream (the
/// answer to a request, or the session's stream for server messages), or a JSON-RPC
/// error with the status the transport chose.
struct AgentToolRoute {
    let sessions: AgentToolSessions

    func respond(_ request: Request, context: some Hummingbird.RequestContext) async throws -> Response {
        var body: Data?
        if request.method == .post {
            body = Data(buffer: try await BodyReader.collect(request, upTo: context.maxUploadSize))
        }
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        let answer = await sessions.handle(MCP.HTTPRequest(method: request.method.rawValue, headers: headers, body: body, path: "/mcp"))
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        let status = HTTPTypes.HTTPResponse.Status(code: answer.statusCode)
        switch answer {
        case .stream(let stream, _):
            return Response(status: status, headers: fields, body: ResponseBody { writer in
                // At shutdown the sessions end, and with them their streams, so that the
                // server does not wait for clients to hang up.
                try await withGracefulShutdownHandler {
                    for try await chunk in stream { try await writer.write(ByteBuffer(bytes: chunk)) }
                } onGracefulShutdown: { [sessions] in
                    // Unstructured: the handler is synchronous and the sessions an actor;
                    // closing them ends the stream this response's task is awaiting.
                    Task { await sessions.closeAll() }
                }
                try await writer.finish(nil)
            })
        default:
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.bodyData ?? Data())))
        }
    }
}
