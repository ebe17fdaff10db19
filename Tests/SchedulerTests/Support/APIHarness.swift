import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Scheduler
import SchedulerServer
import TestSupport
import Testing

/// The HTTP API over a test database, driven through HummingbirdTesting; every response
/// is checked against `openapi.yaml` as it arrives.
struct APIHarness: Sendable {
    let db: TestDatabase
    let engine: Engine
    let clock: ManualClock
    let contract: OpenAPIContract
    /// The Prometheus registry `GET /metrics` shows, its own per harness.
    let export: PrometheusExport

    /// A response, its body parsed.
    struct Reply {
        let status: Int
        let json: JSONValue
        let text: String

        /// A top-level field of an object body.
        subscript(key: String) -> JSONValue? {
            guard case .object(let object) = json else { return nil }
            return object[key]
        }

        /// The error code of an error body.
        var errorCode: String? {
            guard case .object(let error)? = self["error"], case .string(let code)? = error["code"] else { return nil }
            return code
        }

        var errorMessage: String {
            guard case .object(let error)? = self["error"], case .string(let message)? = error["message"] else { return "" }
            return message
        }
    }

    /// Runs `body` with the API over a fresh database: through the router alone, or over
    /// a real port when `live` (for streams, read with ``SSEClient``); `configure`
    /// adjusts the settings.
    static func with(
        _ kind: StoreKind,
        token: String? = nil,
        live: Bool = false,
        configure: @Sendable (inout SchedulerConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (APIHarness, Client) async throws -> Void
    ) async throws {
        try await TestDatabase.with(kind) { db in
            var configuration = SchedulerConfiguration(databaseURL: db.url, apiToken: token)
            configure(&configuration)
            let registry = try HandlerRegistry(testHandlers, declarations: configuration.taskTypes)
            let clock = ManualClock.atThisSecond()
            let export = PrometheusExport()
            let engine = Engine(
                store: db.store, registry: registry,
                configuration: EngineConfiguration(workerID: "api-test", retryPolicy: RetryPolicy(baseDelay: .seconds(60))),
                clock: clock, metrics: SchedulerMetrics(factory: export.factory), logger: TestDatabase.logger)
            var environment = APIEnvironment(
                store: db.store, engine: engine, registry: registry, configuration: configuration, clock: clock,
                export: export)
            // A health check of a healthy database must not answer 503 because the whole
            // suite slows the machine past a probe's 2 s.
            environment.healthDatabaseTimeout = TestDatabase.bounds.general
            let harness = APIHarness(
                db: db, engine: engine, clock: clock, contract: try OpenAPIContract.load(), export: export)
            let app = Application(router: SchedulerAPI.router(environment))
            try await app.test(live ? .live : .router) { client in
                try await body(harness, Client(client: client, contract: harness.contract, token: token))
            }
        }
    }

    /// Sends requests, with the harness's token unless told otherwise.
    struct Client: Sendable {
        let client: any TestClientProtocol
        let contract: OpenAPIContract
        let token: String?

        /// The server's port, for a live harness.
        var port: Int { client.port ?? 0 }

        /// The headers a stream request sends: the token, and anything else given.
        func streamHeaders(_ extra: [(String, String)] = []) -> [(String, String)] {
            (token.map { [("Authorization", "Bearer \($0)")] } ?? []) + extra
        }

        @discardableResult
        func send(
            _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, authorization: String?? = nil,
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> Reply {
            var headers: HTTPFields = [.contentType: "application/json"]
            if let value = authorization ?? token.map({ "Bearer \($0)" }) { headers[.authorization] = value }
            let response = try await client.executeRequest(
                uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
            let text = String(buffer: response.body)
            let status = Int(response.status.code)
            let path = String(uri.split(separator: "?", maxSplits: 1).first ?? "")
            let problems = contract.problems(method: method.rawValue, path: path, status: status, body: text)
            #expect(problems.isEmpty, "\(problems)", sourceLocation: sourceLocation)
            let documented = contract.mediaTypes(method: method.rawValue, path: path, status: status)
            let type = response.headers[.contentType] ?? ""
            #expect(documented.contains { type.hasPrefix($0) }, "\(type) is not documented: \(documented)", sourceLocation: sourceLocation)
            return Reply(status: status, json: JSONValue(parsing: text) ?? .null, text: text)
        }
    }
}
