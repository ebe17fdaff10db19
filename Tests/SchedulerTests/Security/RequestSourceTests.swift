import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import Scheduler

/// Requests as a web page elsewhere would send them: through DNS rebinding (another
/// `Host`), from another origin, or as a form a browser may post anywhere.
@Suite("Requests from elsewhere", .timeLimit(.minutes(5)))
struct RequestSourceTests {
    /// Sends one request over a real connection with the given `Host` and headers.
    func send(
        port: Int, _ method: HTTPRequest.Method, _ path: String, host: String, headers: HTTPFields = [:], body: String? = nil
    ) async throws -> TestClient.Response {
        let client = TestClient(host: "127.0.0.1", port: port)
        client.connect()
        defer { Task { try? await client.shutdown() } }
        return try await client.execute(TestClient.Request(
            path, method: method, authority: host, headers: headers, body: body.map { ByteBuffer(string: $0) }))
    }

    let task = #"{"task_type": "noop"}"#
    let json: HTTPFields = [.contentType: "application/json"]

    @Test("a Host the server does not answer for is refused with 421, in every mode; loopback names are served")
    func foreignHost() async throws {
        for token in [nil, "s3cret-token"] as [String?] {
            try await APIHarness.with(.sqlite, token: token, live: true) { _, client in
                var auth: HTTPFields = [:]
                if let token { auth[.authorization] = "Bearer \(token)" }
                for host in ["attacker.example:8080", "attacker.example", "127.0.0.1.nip.io"] {
                    let reply = try await send(port: client.port, .get, "/tasks", host: host, headers: auth)
                    #expect(reply.status == .misdirectedRequest, "\(host)")
                    #expect(String(buffer: reply.body ?? ByteBuffer()).contains("ALLOWED_HOSTS"))
                }
                let dashboard = try await send(port: client.port, .get, "/dashboard", host: "attacker.example:8080")
                #expect(dashboard.status == .misdirectedRequest)
                #expect(dashboard.headers[.setCookie] == nil)
                for host in ["localhost:8080", "127.0.0.1:8080", "[::1]:8080", "LOCALHOST"] {
                    let reply1 = try await send(port: client.port, .get, "/tasks", host: host, headers: auth)
                    #expect(reply1.status == .ok, "\(host)")
                }
            }
        }
    }

    @Test("ALLOWED_HOSTS adds the public name behind a proxy; * allows any")
    func allowedHosts() async throws {
        try await APIHarness.with(.sqlite, live: true, configure: { $0.allowedHosts = ["scheduler.example.com"] }) { _, client in
            let reply2 = try await send(port: client.port, .get, "/tasks", host: "scheduler.example.com")
            #expect(reply2.status == .ok)
            let reply3 = try await send(port: client.port, .get, "/tasks", host: "other.example.com")
            #expect(reply3.status == .misdirectedRequest)
        }
        try await APIHarness.with(.sqlite, live: true, configure: { $0.allowedHosts = ["*"] }) { _, client in
            let reply4 = try await send(port: client.port, .get, "/tasks", host: "other.example.com")
            #expect(reply4.status == .ok)
        }
    }

    @Test("a state change from another origin is refused with 403; the server's own origin and no origin work")
    func foreignOrigin() async throws {
        try await APIHarness.with(.sqlite, live: true) { harness, client in
            let host = "localhost:\(client.port)"
            for (method, path, body) in [
                (HTTPRequest.Method.post, "/tasks", task), (.post, "/task-types/noop/pause", nil),
                (.post, "/schedules", #"{"name": "x", "task_type": "noop", "cron": "0 9 * * *"}"#),
            ] {
                var headers = json
                headers[.origin] = "http://evil.example"
                let reply = try await send(port: client.port, method, path, host: host, headers: headers, body: body)
                #expect(reply.status == .forbidden, "\(path)")
                headers[.origin] = "null"
                let reply5 = try await send(port: client.port, method, path, host: host, headers: headers, body: body)
                #expect(reply5.status == .forbidden)
            }
            let reply6 = try await harness.db.store.tasks(matching: TaskFilter())
            #expect(reply6.isEmpty)
            let reply7 = try await harness.db.store.pausedTaskTypes()
            #expect(reply7.isEmpty)
            var own = json
            own[.origin] = "http://\(host)"
            let reply8 = try await send(port: client.port, .post, "/tasks", host: host, headers: own, body: task)
            #expect(reply8.status == .created)
            let reply9 = try await send(port: client.port, .post, "/tasks", host: host, headers: json, body: task)
            #expect(reply9.status == .created)
        }
    }

    @Test("a JSON endpoint refuses a body of another content type with 415; no content type is read as JSON")
    func contentType() async throws {
        try await APIHarness.with(.sqlite, live: true) { harness, client in
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                let reply = try await send(
                    port: client.port, .post, "/tasks", host: "localhost", headers: [.contentType: type], body: task)
                #expect(reply.status == .unsupportedMediaType, "\(type)")
                #expect(String(buffer: reply.body ?? ByteBuffer()).contains("application/json"))
            }
            let reply10 = try await harness.db.store.tasks(matching: TaskFilter())
            #expect(reply10.isEmpty)
            for headers in [[.contentType: "application/json; charset=utf-8"], [:]] as [HTTPFields] {
                let reply11 = try await send(port: client.port, .post, "/tasks", host: "localhost", headers: headers, body: task)
                #expect(reply11.status == .created)
            }
        }
    }

    @Test("JSON is RFC 8259: a trailing comma is invalid_json, in a body and in stored text")
    func trailingCommas() async throws {
        try await APIHarness.with(.sqlite) { _, client in
            for body in [#"{"task_type": "noop",}"#, #"{"task_type": "noop", "context": {"a": [1, 2,]}}"#] {
                let reply = try await client.send(.post, "/tasks", body: body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.text.contains("invalid_json"))
            }
            let reply12 = try await client.send(.post, "/tasks", body: #"{"task_type": "noop", "context": {"note": "a,}"}}"#)
            #expect(reply12.status == 201)
        }
        #expect(StrictJSON.hasTrailingComma("[1, 2 ,\n]"))
        #expect(!StrictJSON.hasTrailingComma(#"{"a": "\",}"}"#))
        #expect(JSONValue(parsing: #"{"a": 1,}"#) == nil)
    }
}
