import Foundation
import Logging
import MCP
import Scheduler

/// The MCP sessions of `/mcp` (Streamable HTTP): a session begins with an `initialize`
/// request, gets its own server and transport, and ends with a `DELETE`, after
/// `idleLimit` without a request (checked when a session opens), or at shutdown.
///
/// At most `sessionLimit` live at once, so that clients that never hang up cannot
/// exhaust the process; beyond it the least recently used session ends to make room, so
/// one client opening sessions in a loop cannot lock everyone else out.
public actor AgentToolSessions {
    struct Session {
        let server: MCP.Server
        let transport: StatefulHTTPServerTransport
        var lastUsed: Date
        /// When it was last used, in order: the smallest is the least recently used.
        var use: Int
    }

    private let sessionLimit: Int
    private let idleLimit: TimeInterval
    private let clock: any WallClock
    private let tools: AgentTools
    private let validation: any HTTPRequestValidationPipeline
    private let logger: Logger
    private var sessions: [String: Session] = [:]
    private var uses = 0

    /// `loopbackOnly` checks the `Host` and `Origin` headers against loopback names, so a
    /// web page cannot reach a server without a token through DNS rebinding; with a token
    /// the token guards the endpoint instead.
    public init(
        tools: AgentTools, loopbackOnly: Bool, sessionLimit: Int = 1_000, idleLimit: Duration = .seconds(3_600),
        clock: any WallClock = SystemClock(), logger: Logger
    ) {
        self.tools = tools
        self.sessionLimit = sessionLimit
        self.idleLimit = idleLimit.timeInterval
        self.clock = clock
        self.logger = logger
        var validators: [any HTTPRequestValidator] = [
            AcceptHeaderValidator(mode: .sseRequired), ContentTypeValidator(), ProtocolVersionValidator(), SessionValidator(),
        ]
        if loopbackOnly { validators.insert(OriginValidator.localhost(), at: 0) }
        validation = StandardValidationPipeline(validators: validators)
    }

    /// How many sessions are open.
    public var count: Int { sessions.count }

    /// Answers one HTTP request to `/mcp`.
    public func handle(_ request: MCP.HTTPRequest) async -> MCP.HTTPResponse {
        let now = clock.now
        if let id = request.header(HTTPHeaderName.sessionID), var session = sessions[id] {
            session.lastUsed = now
            uses += 1
            session.use = uses
            sessions[id] = session
            let response = await session.transport.handleRequest(request)
            if request.method.uppercased() == "DELETE", response.statusCode == 200 { await close(id) }
            return response
        }
        if request.method.uppercased() == "POST", let body = request.body, Self.isInitializeRequest(body) {
            return await open(request, now: now)
        }
        if request.header(HTTPHeaderName.sessionID) != nil {
            return .error(statusCode: 404, .invalidRequest("Not Found: no such MCP session (it ended or expired): initialize a new one"))
        }
        return .error(
            statusCode: 400, .invalidRequest("Bad Request: send initialize first, then the \(HTTPHeaderName.sessionID) header it returns"))
    }

    /// Whether `body` is a JSON-RPC `initialize` request, which opens a session.
    static func isInitializeRequest(_ body: Data) -> Bool {
        guard case .object(let message)? = JSONValue(parsing: String(decoding: body, as: UTF8.self)) else { return false }
        return message["method"] == "initialize" && message["id"] != nil
    }

    /// Ends every session, for shutdown.
    public func closeAll() async {
        for id in sessions.keys { await close(id) }
    }

    private func open(_ request: MCP.HTTPRequest, now: Date) async -> MCP.HTTPResponse {
        for (id, session) in sessions where now.timeIntervalSince(session.lastUsed) > idleLimit { await close(id) }
        if sessions.count >= sessionLimit, let (oldest, _) = sessions.min(by: { $0.value.use < $1.value.use }) {
            logger.notice("MCP session limit reached; ending the least recently used session", metadata: [
                "limit": "\(sessionLimit)",
            ])
            await close(oldest)
        }
        let transport = StatefulHTTPServerTransport(validationPipeline: validation, logger: logger)
        do {
            let server = try await AgentToolServer.start(tools, on: transport)
            let response = await transport.handleRequest(request)
            if case .error = response {
                await server.stop()
                return response
            }
            guard let id = response.headers[HTTPHeaderName.sessionID] else {
                await server.stop()
                return .error(statusCode: 500, .internalError("the MCP session could not be started"))
            }
            uses += 1
            sessions[id] = Session(server: server, transport: transport, lastUsed: now, use: uses)
            return response
        } catch {
            logger.error("MCP session could not start", metadata: ["error": "\(error)"])
            await transport.disconnect()
            return .error(statusCode: 500, .internalError("the MCP session could not be started"))
        }
    }

    private func close(_ id: String) async {
        guard let session = sessions.removeValue(forKey: id) else { return }
        await session.server.stop()
    }
}
