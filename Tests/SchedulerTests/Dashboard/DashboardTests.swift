import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Scheduler
import TestSupport
import Testing

/// `/dashboard` through the router: the login and its cookie, the pages and what they
/// show, escaping, and actions that need the session's CSRF token.
@Suite("Dashboard", .timeLimit(.minutes(5)))
struct DashboardTests {
    /// A page or redirect, with what a browser would keep.
    struct Page {
        let status: Int
        let body: String
        let location: String?
        let setCookie: String?

        /// The session cookie's value, when this answer sets one.
        var session: String? {
            guard let setCookie, let value = setCookie.split(separator: ";").first else { return nil }
            let parts = value.split(separator: "=", maxSplits: 1)
            return parts.count == 2 && !parts[1].isEmpty ? String(parts[1]) : nil
        }

        /// The CSRF token the page's forms carry.
        var csrf: String? {
            guard let range = body.range(of: #"name="csrf" value=""#) else { return nil }
            return String(body[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    static func send(
        _ client: APIHarness.Client, _ method: HTTPRequest.Method, _ uri: String, session: String? = nil, form: String? = nil,
        headers extra: HTTPFields = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Page {
        var headers = extra
        if let session {
            headers[.cookie] = (["agent_scheduler_session=\(session)"] + (extra[.cookie].map { [$0] } ?? [])).joined(separator: "; ")
        }
        if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await client.client.executeRequest(
            uri: uri, method: method, headers: headers, body: form.map { ByteBuffer(string: $0) })
        let body = String(buffer: response.body)
        let path = String(uri.split(separator: "?", maxSplits: 1).first ?? "")
        let problems = client.contract.problems(method: method.rawValue, path: path, status: Int(response.status.code), body: body)
        #expect(problems.isEmpty, "\(problems)", sourceLocation: sourceLocation)
        return Page(
            status: Int(response.status.code), body: body, location: response.headers[.location],
            setCookie: response.headers[.setCookie])
    }

    static func logIn(_ client: APIHarness.Client) async throws -> String {
        let answer = try await send(client, .post, "/dashboard/login", form: "token=dash%2Btoken")
        return try #require(answer.session, "no session cookie: \(answer.setCookie ?? "none")")
    }

    @Test("with a token, the dashboard asks for it once and keeps an HttpOnly, SameSite=Strict session", arguments: StoreKind.available)
    func login(kind: StoreKind) async throws {
        try await APIHarness.with(kind, token: "dash+token") { _, client in
            let anonymous = try await Self.send(client, .get, "/dashboard")
            #expect(anonymous.status == 303 && anonymous.location == "/dashboard/login")
            let form = try await Self.send(client, .get, "/dashboard/login")
            #expect(form.status == 200 && form.body.contains(#"type="password""#))
            let wrong = try await Self.send(client, .post, "/dashboard/login", form: "token=guess")
            #expect(wrong.status == 401 && wrong.session == nil)
            let right = try await Self.send(client, .post, "/dashboard/login", form: "token=dash%2Btoken")
            #expect(right.status == 303 && right.location == "/dashboard")
            let cookie = try #require(right.setCookie)
            for attribute in ["HttpOnly", "SameSite=Strict", "Path=/dashboard"] {
                #expect(cookie.contains(attribute), "the session cookie lacks \(attribute): \(cookie)")
            }
            let session = try #require(right.session)
            #expect(try await Self.send(client, .get, "/dashboard", session: session).status == 200)
            let forged = session.dropLast() + (session.last == "0" ? "1" : "0")
            #expect(try await Self.send(client, .get, "/dashboard", session: String(forged)).status == 303, "a forged session")
            let overview = try await Self.send(client, .get, "/dashboard", session: session)
            let out = try await Self.send(client, .post, "/dashboard/logout", session: session, form: "csrf=\(overview.csrf ?? "")")
            #expect(out.status == 303 && out.setCookie?.contains("Max-Age=0") == true)
            #expect(right.setCookie?.contains("Secure") == false, "plain HTTP cannot keep a Secure cookie")
        }
    }

    @Test("behind a TLS-terminating proxy (X-Forwarded-Proto: https) the session cookie is Secure", arguments: StoreKind.available)
    func secureCookieBehindProxy(kind: StoreKind) async throws {
        try await APIHarness.with(kind, token: "dash+token") { _, client in
            let https: HTTPFields = [HTTPField.Name("X-Forwarded-Proto")!: "https"]
            let login = try await Self.send(client, .post, "/dashboard/login", form: "token=dash%2Btoken", headers: https)
            #expect(login.setCookie?.hasSuffix("; Secure") == true, "\(login.setCookie ?? "no cookie")")
            let session = try #require(login.session)
            let overview = try await Self.send(client, .get, "/dashboard", session: session, headers: https)
            let out = try await Self.send(
                client, .post, "/dashboard/logout", session: session, form: "csrf=\(overview.csrf ?? "")", headers: https)
            #expect(out.setCookie?.contains("Max-Age=0") == true && out.setCookie?.hasSuffix("; Secure") == true)
        }
        try await APIHarness.with(kind) { _, client in
            let https: HTTPFields = [HTTPField.Name("X-Forwarded-Proto")!: "https, http"]
            let visit = try await Self.send(client, .get, "/dashboard", headers: https)
            #expect(visit.session != nil && visit.setCookie?.hasSuffix("; Secure") == true, "\(visit.setCookie ?? "no cookie")")
        }
    }

    @Test("pages show counts, the task list and a task; a context holding <script> shows as text", arguments: StoreKind.available)
    func pages(kind: StoreKind) async throws {
        try await APIHarness.with(kind, token: "dash+token") { harness, client in
            let hostile = #"{"task_type": "noop", "agent_type": "test", "scheduled_for": "2099-01-01T00:00:00Z", "idempotency_key": "hostile-key", "context": {"note": "<script>alert(1)</script>"}}"#
            let created = try await client.send(.post, "/tasks", body: hostile)
            let id = try #require(created["id"].flatMap { if case .string(let id) = $0 { id } else { nil } })
            _ = try await client.send(.post, "/tasks", body: #"{"task_type": "greet", "agent_type": "test", "context": {"name": "Ada", "times": 1}}"#)
            _ = await harness.engine.processDueTasks()
            let session = try await Self.logIn(client)

            let overview = try await Self.send(client, .get, "/dashboard", session: session)
            #expect(overview.body.contains(#"<a href="/dashboard/tasks?task_type=noop">noop</a></th><td class="num">1</td>"#),
                "noop's pending count: \(overview.body)")
            let workers = try await harness.db.store.workers()
            #expect(workers.allSatisfy { overview.body.contains($0.workerID) })
            #expect(overview.body.contains("No worker has been seen.") == workers.isEmpty)
            #expect(overview.body.contains(
                #"aria-label="Attempts per minute. Completed: 1 in the latest minute, at most 1 in a minute of the hour; Failed: 0 in the latest minute"#),
                "the throughput chart says what it draws: \(overview.body)")
            #expect(overview.body.components(separatedBy: "<path class=\"line-").count == 5, "four lines in three charts")

            let list = try await Self.send(client, .get, "/dashboard/tasks?status=pending", session: session)
            #expect(list.body.contains(id) && !list.body.contains("greet</td>"), "only the pending task is listed")
            let jump = try await Self.send(client, .get, "/dashboard/tasks?q=\(id.uppercased())", session: session)
            #expect(jump.status == 303 && jump.location == "/dashboard/tasks/\(id)", "a task id jumps to the task")
            let byKey = try await Self.send(client, .get, "/dashboard/tasks?q=hostile-key", session: session)
            #expect(byKey.body.contains(id) && byKey.body.components(separatedBy: "<tr data-task-id=").count == 2, "the idempotency key finds that task alone")
            let listed = try await client.send(.get, "/tasks?idempotency_key=hostile-key")
            guard case .array(let keyed)? = listed["tasks"] else { Issue.record("GET /tasks answered \(listed.text)"); return }
            #expect(keyed.count == 1, "GET /tasks?idempotency_key= finds that task alone")
            let byUser = try await Self.send(client, .get, "/dashboard/tasks?q=\(UUID().uuidString)", session: session)
            #expect(byUser.status == 200 && byUser.body.contains("No tasks match."), "another UUID is a user without tasks")
            let bad = try await Self.send(client, .get, "/dashboard/tasks?status=stuck", session: session)
            #expect(bad.status == 400 && bad.body.contains("status"))
            let lastHour = try await Self.send(client, .get, "/dashboard/tasks?since=1h", session: session)
            #expect(lastHour.body.components(separatedBy: "<tr data-task-id=").count == 3, "both tasks were created this hour")
            let byTime = try await client.send(.get, "/tasks?created_after=\(Timestamp.string(from: harness.clock.now.addingTimeInterval(1)))")
            #expect(byTime["tasks"] == .array([]), "GET /tasks?created_after= leaves out older tasks: \(byTime.text)")
            let badTime = try await client.send(.get, "/tasks?created_after=yesterday")
            #expect(badTime.status == 400 && badTime.text.contains("created_after"))
            harness.clock.advance(by: .seconds(7200))
            let later = try await Self.send(client, .get, "/dashboard/tasks?since=1h", session: session)
            #expect(later.body.contains("No tasks match."), "two hours on, none was created in the last hour")
            #expect(try await Self.send(client, .get, "/dashboard/tasks?since=1y", session: session).status == 400)
            #expect(try await Self.send(client, .get, "/dashboard/tasks?since=1y").status == 400,
                "a time filter that can never be right is refused before the session is looked at")

            let detail = try await Self.send(client, .get, "/dashboard/tasks/\(id)", session: session)
            #expect(detail.status == 200)
            #expect(detail.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!detail.body.contains("<script>alert"), "the context's script must not reach the page as markup")
            #expect(detail.body.contains("/cancel") && detail.body.contains("/run") && !detail.body.contains("/retry\""))
            let missing = try await Self.send(client, .get, "/dashboard/tasks/\(UUID().uuidString)", session: session)
            #expect(missing.status == 404)
        }
    }

    @Test("an action needs the session's CSRF token; with it, cancel and retry change the task", arguments: StoreKind.available)
    func actions(kind: StoreKind) async throws {
        try await APIHarness.with(kind, token: "dash+token") { harness, client in
            let created = try await client.send(
                .post, "/tasks", body: #"{"task_type": "noop", "agent_type": "test", "scheduled_for": "2099-01-01T00:00:00Z"}"#)
            let id = try #require(created["id"].flatMap { if case .string(let id) = $0 { id } else { nil } })
            let session = try await Self.logIn(client)
            let page = try await Self.send(client, .get, "/dashboard/tasks/\(id)", session: session)
            let csrf = try #require(page.csrf)

            #expect(try await Self.send(client, .post, "/dashboard/tasks/\(id)/cancel", session: session, form: "").status == 403)
            #expect(try await Self.send(client, .post, "/dashboard/tasks/\(id)/cancel", session: session, form: "csrf=\(csrf.dropLast())\(csrf.last == "0" ? "1" : "0")").status == 403)
            #expect(try await Self.send(client, .post, "/dashboard/tasks/\(id)/cancel", form: "csrf=\(csrf)").status == 303,
                "no session: to the login page")
            #expect(try await client.send(.get, "/tasks/\(id)")["status"] == "pending", "nothing refused changed the task")

            let cancelled = try await Self.send(client, .post, "/dashboard/tasks/\(id)/cancel", session: session, form: "csrf=\(csrf)")
            #expect(cancelled.status == 303 && cancelled.location == "/dashboard/tasks/\(id)")
            let flash = try #require(cancelled.setCookie?.split(separator: ";").first.map(String.init))
            #expect(flash.hasPrefix("agent_scheduler_notice=") && cancelled.setCookie?.contains("HttpOnly") == true)
            #expect(try await client.send(.get, "/tasks/\(id)")["status"] == "cancelled")
            let after = try await Self.send(client, .get, cancelled.location ?? "", session: session, headers: [.cookie: flash])
            #expect(after.body.contains("Cancelled.") && after.body.contains("/retry"))

            _ = try await Self.send(client, .post, "/dashboard/tasks/\(id)/retry", session: session, form: "csrf=\(csrf)")
            #expect(try await client.send(.get, "/tasks/\(id)")["status"] == "pending")
            _ = try await Self.send(client, .post, "/dashboard/tasks/\(id)/pause-type", session: session, form: "csrf=\(csrf)")
            #expect(try await client.send(.get, "/health")["pausedTaskTypes"] == ["noop"])
            _ = harness
        }
    }

    @Test("bulk actions: retry every failed task of a type, cancel every pending one, after a confirmation with the count",
        arguments: StoreKind.available)
    func bulk(kind: StoreKind) async throws {
        try await APIHarness.with(kind, token: "dash+token") { harness, client in
            for _ in 0..<3 {
                _ = try await client.send(.post, "/tasks", body: #"{"task_type": "flaky", "max_retries": 0, "context": {"fail_times": 1, "permanent": true}}"#)
            }
            _ = await harness.engine.processDueTasks()
            for _ in 0..<2 {
                _ = try await client.send(.post, "/tasks", body: #"{"task_type": "noop", "scheduled_for": "2099-01-01T00:00:00Z"}"#)
            }
            let session = try await Self.logIn(client)
            let overview = try await Self.send(client, .get, "/dashboard", session: session)
            #expect(overview.body.contains("/dashboard/bulk?action=retry-failed&amp;task_type=flaky"))

            let confirm = try await Self.send(client, .get, "/dashboard/bulk?action=retry-failed&task_type=flaky", session: session)
            #expect(confirm.body.contains("Retry all 3 failed flaky tasks?"), "\(confirm.body)")
            let csrf = try #require(confirm.csrf)
            let form = "csrf=\(csrf)&action=retry-failed&task_type=flaky"
            #expect(try await Self.send(client, .post, "/dashboard/bulk", session: session, form: "action=retry-failed&task_type=flaky").status == 403)
            let retried = try await Self.send(client, .post, "/dashboard/bulk", session: session, form: form)
            #expect(retried.status == 303 && retried.setCookie?.contains("Retried%203%20failed%20flaky") == true, "\(retried.setCookie ?? "")")
            let failedLeft = try await harness.db.store.tasks(matching: TaskFilter(status: .failed, taskType: "flaky"))
            #expect(failedLeft.isEmpty)

            let cancel = "csrf=\(csrf)&action=cancel-pending&task_type=noop"
            #expect(try await Self.send(client, .post, "/dashboard/bulk", session: session, form: cancel).status == 303)
            let cancelled = try await harness.db.store.tasks(matching: TaskFilter(status: .cancelled, taskType: "noop"))
            #expect(cancelled.count == 2)

            #expect(try await Self.send(client, .get, "/dashboard/bulk?action=delete-all&task_type=noop", session: session).status == 400)
            #expect(try await Self.send(client, .get, "/dashboard/bulk?action=retry-failed&task_type=nope", session: session).status == 404)
        }
    }

    @Test("/dashboard/events streams a task's events to a session, and refuses a visitor without one", arguments: StoreKind.available)
    func events(kind: StoreKind) async throws {
        try await APIHarness.with(kind, token: "dash+token", live: true) { harness, client in
            let session = try await Self.logIn(client)
            let refused = try await SSEClient.withStream(port: client.port, path: "/dashboard/events") { reader in reader.status }
            #expect(refused == 401)
            let created = try await client.send(.post, "/tasks", body: #"{"task_type": "greet", "context": {"name": "Ada", "times": 1}}"#)
            let id = try #require(created["id"].flatMap { if case .string(let id) = $0 { id } else { nil } })
            try await SSEClient.withStream(
                port: client.port, path: "/dashboard/events?task_id=\(id)", headers: [("Cookie", "agent_scheduler_session=\(session)")]
            ) { reader in
                #expect(reader.status == 200)
                #expect(try await reader.next()?.comment == "connected")
                _ = await harness.engine.processDueTasks()
                var names: [String] = []
                while names.last != "task.completed", let frame = try await reader.nextEvent() { names.append(frame.event ?? "") }
                #expect(names == ["task.started", "task.completed"])
            }
        }
    }

    @Test("without a token the dashboard needs no login but still binds actions to a session", arguments: StoreKind.available)
    func withoutToken(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { _, client in
            let first = try await Self.send(client, .get, "/dashboard")
            #expect(first.status == 200)
            let session = try #require(first.session, "a visitor gets a session cookie")
            #expect(try await Self.send(client, .get, "/dashboard/login").location == "/dashboard")
            let logout = try await Self.send(client, .post, "/dashboard/logout", form: "csrf=\(first.csrf ?? "")")
            #expect(logout.status == 303 && logout.location == "/dashboard/login", "no session cookie, no action")
            #expect(try await Self.send(client, .get, "/dashboard/tasks", session: session).status == 200)
        }
    }
}
