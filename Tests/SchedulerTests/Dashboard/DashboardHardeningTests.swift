import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Scheduler
import TestSupport
import Testing

/// What the outside probe tried on the dashboard: a session kept after logout, type
/// names read without a session, words put on its pages through the URL, inline script.
@Suite("Dashboard hardening", .timeLimit(.minutes(5)))
struct DashboardHardeningTests {
    @Test("logout ends the session for good: the same cookie is sent to the login page afterwards",
          arguments: StoreKind.available)
    func logoutRevokes(kind: StoreKind) async throws {
        try await APIHarness.with(kind, token: "dash+token") { _, client in
            let session = try await DashboardTests.logIn(client)
            let overview = try await DashboardTests.send(client, .get, "/dashboard", session: session)
            #expect(overview.status == 200)
            let out = try await DashboardTests.send(
                client, .post, "/dashboard/logout", session: session, form: "csrf=\(overview.csrf ?? "")")
            #expect(out.status == 303)
            let again = try await DashboardTests.send(client, .get, "/dashboard", session: session)
            #expect(again.status == 303 && again.location == "/dashboard/login", "the old cookie still opened the dashboard")
            let stream = try await DashboardTests.send(client, .get, "/dashboard/events", session: session)
            #expect(stream.status == 401)
            let fresh = try await DashboardTests.logIn(client)
            #expect(try await DashboardTests.send(client, .get, "/dashboard", session: fresh).status == 200)
        }
    }

    @Test("without a session, bulk requests are sent to the login page whatever type they name; one naming none is a 400")
    func bulkNeedsSessionFirst() async throws {
        try await APIHarness.with(.sqlite, token: "dash+token") { _, client in
            let unnamed = try await DashboardTests.send(client, .get, "/dashboard/bulk?action=retry-failed")
            #expect(unnamed.status == 400, "a request that can never be right is refused before the session")
            for type in ["noop", "no_such_type"] {
                let post = try await DashboardTests.send(
                    client, .post, "/dashboard/bulk", form: "action=retry-failed&task_type=\(type)&csrf=x")
                #expect(post.status == 303 && post.location == "/dashboard/login", "\(type)")
                let get = try await DashboardTests.send(client, .get, "/dashboard/bulk?action=retry-failed&task_type=\(type)")
                #expect(get.status == 303 && get.location == "/dashboard/login", "\(type)")
            }
        }
    }

    @Test("a notice in the URL is not shown; pages allow scripts from the server only and carry none inline")
    func noticeAndScripts() async throws {
        try await APIHarness.with(.sqlite, token: "dash+token") { _, client in
            let session = try await DashboardTests.logIn(client)
            let response = try await client.client.executeRequest(
                uri: "/dashboard?notice=Your%20account%20is%20locked%2C%20call%20us", method: .get,
                headers: [.cookie: "agent_scheduler_session=\(session)"], body: nil)
            let body = String(buffer: response.body)
            #expect(response.status == .ok)
            #expect(!body.contains("account is locked"))
            let policy = try #require(response.headers[.contentSecurityPolicy])
            #expect(policy.contains("script-src 'self'") && !policy.contains("script-src 'unsafe-inline'"), "\(policy)")
            #expect(body.contains(#"<script src="/dashboard/app.js"></script>"#))
            #expect(!body.contains("<script>"), "an inline script the policy would block")
            let script = try await client.client.executeRequest(uri: "/dashboard/app.js", method: .get, headers: [:], body: nil)
            #expect(script.status == .ok && script.headers[.contentType]?.hasPrefix("text/javascript") == true)
            #expect(String(buffer: script.body).contains("pagehide"), "the live stream is let go when the page is left")
        }
    }
}
