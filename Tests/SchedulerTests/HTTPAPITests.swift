import Foundation
import Hummingbird
import HummingbirdTesting
import SchedulerRequests
import TestSupport
import Testing

@testable import Scheduler
@testable import SchedulerServer
@testable import SchedulerService

@Suite("HTTP API", .timeLimit(.minutes(5)))
struct HTTPAPITests {
    let ada = "11111111-1111-4111-8111-111111111111"

    func create(_ client: APIHarness.Client, _ body: String) async throws -> String {
        let reply = try await client.send(.post, "/tasks", body: body)
        #expect(reply.status == 201, "\(reply.text)")
        guard case .string(let id)? = reply["id"] else {
            Issue.record("no id in \(reply.text)")
            return ""
        }
        return id
    }

    @Test("every route is in openapi.yaml and every documented operation is routed")
    func routesMatchContract() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let registry = try HandlerRegistry(testHandlers)
            let engine = Engine(store: db.store, registry: registry, logger: TestDatabase.logger)
            let router = SchedulerAPI.router(APIEnvironment(
                store: db.store, engine: engine, registry: registry, configuration: SchedulerConfiguration()))
            let routes = Set(router.routes.map { route in
                "\(route.method.rawValue) " + "\(route.path)".replacingOccurrences(of: ":id", with: "{id}")
            })
            #expect(routes == (try OpenAPIContract.load()).operations)
            #expect(Set(SchedulerAPI.operations.map { "\($0.method.rawValue) \($0.path)" }) == routes)
        }
    }

    @Test("GET /health answers in the task processor's shape with the queue", arguments: StoreKind.available)
    func health(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            _ = try await create(client, #"{"task_type": "noop"}"#)
            _ = try await harness.db.store.enqueue(NewTask(taskType: "not_deployed_yet"), now: harness.clock.now)
            let reply = try await client.send(.get, "/health")
            #expect(reply.status == 200)
            #expect(reply["status"] == .string("healthy"))
            #expect(reply["service"] == .string("agent-scheduler"))
            #expect(reply["workerId"] == .string("api-test"))
            #expect(reply["queue"] == .object(["depth": .number(2), "processing": .number(0), "unroutable": .number(1), "capped": .bool(false)]))
            #expect(reply["polling"] == .object(["enabled": .bool(true), "intervalMs": .number(30000), "maxTasksPerPoll": .number(10)]))
        }
    }

    @Test("GET /health answers 503 while the database does not")
    func healthWithoutDatabase() async throws {
        let store = try await StoreFactory.open(url: "postgres://postgres@127.0.0.1:1/gone?sslmode=disable", logger: TestDatabase.logger)
        let registry = try HandlerRegistry([NoopHandler()])
        let engine = Engine(store: store, registry: registry, logger: TestDatabase.logger)
        let router = SchedulerAPI.router(APIEnvironment(
            store: store, engine: engine, registry: registry, configuration: SchedulerConfiguration()))
        let contract = try OpenAPIContract.load()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            try await Application(router: router).test(.router) { client in
                let reply = try await APIHarness.Client(client: client, contract: contract, token: nil).send(.get, "/health")
                #expect(reply.status == 503)
                #expect(reply["status"] == .string("unhealthy"))
                #expect(reply["database"] == .object(["reachable": .bool(false), "kind": .string("postgresql")]))
                #expect(reply["queue"] == nil)
            }
            group.cancelAll()
        }
    }

    @Test("POST /tasks enqueues, honours the idempotency key and refuses what no handler can take", arguments: StoreKind.available)
    func createTask(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            let body = #"""
                {"task_type": "greet", "context": {"name": "the demo", "times": 1}, "user_id": "\#(ada)",
                 "priority": "urgent", "scheduled_for": "2030-01-01T09:00:00Z", "idempotency_key": "demo-1", "max_retries": 5}
                """#
            let first = try await client.send(.post, "/tasks", body: body)
            #expect(first.status == 201)
            #expect(first["priority"] == .string("urgent"))
            #expect(first["scheduled_for"] == .string("2030-01-01T09:00:00.000Z"))
            #expect(first["max_retries"] == .number(5))
            #expect(first["context"] == .object(["name": .string("the demo"), "times": .number(1)]))
            let again = try await client.send(.post, "/tasks", body: body)
            #expect(again.status == 200)
            #expect(again["id"] == first["id"])

            let unknownType = try await client.send(.post, "/tasks", body: #"{"task_type": "teleport"}"#)
            #expect(unknownType.status == 422 && unknownType.errorCode == "unknown_task_type")
            let badContext = try await client.send(.post, "/tasks", body: #"{"task_type": "greet", "context": {}}"#)
            #expect(badContext.status == 422 && badContext.errorCode == "invalid_context")
            #expect(badContext.errorMessage.contains("context field 'name' is missing"))
            #expect(try await harness.db.store.tasks(matching: TaskFilter()).count == 1)
        }
    }

    @Test("POST /tasks wakes the poller for a task due later too, so it sleeps only until that task is due",
          arguments: StoreKind.available)
    func futureTaskWakesPoller(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            #expect(!harness.engine.wake.isPending)
            let later = Timestamp.string(from: harness.clock.now.addingTimeInterval(5))
            _ = try await create(client, #"{"task_type": "noop", "scheduled_for": "\#(later)"}"#)
            #expect(harness.engine.wake.isPending)
        }
    }

    @Test("POST /tasks/batch creates all its tasks in order or, naming the first bad one by index, none",
          arguments: StoreKind.available)
    func createBatch(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            let existing = try await create(client, #"{"task_type": "noop", "idempotency_key": "old"}"#)
            let batch = #"""
                {"tasks": [{"task_type": "greet", "context": {"name": "Ada", "times": 1}, "idempotency_key": "new"},
                           {"task_type": "noop", "idempotency_key": "old"},
                           {"task_type": "noop", "priority": "urgent"}]}
                """#
            let reply = try await client.send(.post, "/tasks/batch", body: batch)
            #expect(reply.status == 201, "\(reply.text)")
            #expect(reply["created"] == .number(2))
            guard case .array(let tasks)? = reply["tasks"], tasks.count == 3,
                case .object(let first) = tasks[0], case .object(let second) = tasks[1], case .object(let third) = tasks[2]
            else {
                Issue.record("no three tasks in \(reply.text)")
                return
            }
            #expect(first["task_type"] == .string("greet") && second["id"] == .string(existing))
            #expect(third["priority"] == .string("urgent"))
            #expect(harness.engine.wake.isPending)
            let again = try await client.send(.post, "/tasks/batch", body: #"{"tasks": [{"task_type": "noop", "idempotency_key": "old"}]}"#)
            #expect(again.status == 200 && again["created"] == .number(0))

            let refused = try await client.send(.post, "/tasks/batch", body: #"""
                {"tasks": [{"task_type": "noop"}, {"task_type": "noop"}, {"task_type": "greet", "context": {"name": "Ada"}}]}
                """#)
            #expect(refused.status == 422 && refused.errorMessage.hasPrefix("tasks[2]: "))
            #expect(refused.errorMessage.contains("'times' is missing"), "\(refused.errorMessage)")
            #expect(try await client.send(.post, "/tasks/batch", body: #"{"tasks": []}"#).status == 422)
            #expect(try await client.send(.post, "/tasks/batch", body: #"{"tasks": [7]}"#).status == 400)
            let tooMany = "{\"tasks\": [" + Array(repeating: #"{"task_type": "noop"}"#, count: 1_001).joined(separator: ",") + "]}"
            let over = try await client.send(.post, "/tasks/batch", body: tooMany)
            #expect(over.status == 422 && over.errorMessage.contains("from 1 to 1000 tasks, not 1001"))
            #expect(try await harness.db.store.tasks(matching: TaskFilter(limit: 100)).count == 3)
        }
    }

    @Test("POST /tasks names what is wrong with a bad body", arguments: [
        ("", 400, "invalid_json", "empty"),
        ("{not json", 400, "invalid_json", "not valid JSON"),
        ("[1, 2]", 400, "invalid_json", "must be a JSON object"),
        (#"{"context": {}}"#, 422, "invalid_field", "field 'task_type' is required"),
        (#"{"task_type": 7}"#, 422, "invalid_field", "field 'task_type' must be a string"),
        (#"{"task_type": "noop", "priority": "whenever"}"#, 422, "invalid_field", "field 'priority' must be one of urgent"),
        (#"{"task_type": "noop", "priority": 1}"#, 422, "invalid_field", "field 'priority' must be a string"),
        (#"{"task_type": "noop", "scheduled_for": "tomorrow"}"#, 422, "invalid_field", "field 'scheduled_for' must be an ISO 8601"),
        (#"{"task_type": "noop", "user_id": "ada"}"#, 422, "invalid_field", "field 'user_id' must be a UUID"),
        (#"{"task_type": "noop", "max_retries": -1}"#, 422, "invalid_field", "field 'max_retries' must be a whole number"),
        (#"{"task_type": "noop", "max_retries": 2.5}"#, 422, "invalid_field", "field 'max_retries' must be a whole number"),
        (#"{"task_type": "noop", "context": "{}"}"#, 422, "invalid_field", "field 'context' must be a JSON object"),
        (#"{"task_type": "noop", "contxt": {}}"#, 422, "invalid_field", "field 'contxt' is not a known field"),
    ])
    func badBodies(body: String, status: Int, code: String, message: String) async throws {
        try await APIHarness.with(.sqlite) { harness, client in
            let reply = try await client.send(.post, "/tasks", body: body)
            #expect(reply.status == status)
            #expect(reply.errorCode == code)
            #expect(reply.errorMessage.contains(message), "\(reply.errorMessage)")
            #expect(try await harness.db.store.tasks(matching: TaskFilter()).isEmpty)
        }
    }

    @Test("a body over 1 MiB gets 413")
    func oversizeBody() async throws {
        try await APIHarness.with(.sqlite) { harness, client in
            let padding = String(repeating: "x", count: APIError.maximumBodySize)
            let reply = try await client.send(.post, "/tasks", body: #"{"task_type": "noop", "context": {"pad": "\#(padding)"}}"#)
            #expect(reply.status == 413 && reply.errorCode == "body_too_large")
            #expect(try await harness.db.store.tasks(matching: TaskFilter()).isEmpty)
        }
    }

    @Test("GET /tasks filters and pages with a cursor", arguments: StoreKind.available)
    func listTasks(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            var created: [String] = []
            for index in 0..<5 {
                created.append(try await create(client, #"{"task_type": "noop", "user_id": "\#(index.isMultiple(of: 2) ? ada : "22222222-2222-4222-8222-222222222222")"}"#))
                harness.clock.advance(by: .seconds(1))
            }
            var seen: [String] = []
            var uri = "/tasks?limit=2"
            for _ in 0..<4 {
                let page = try await client.send(.get, uri)
                #expect(page.status == 200)
                guard case .array(let tasks)? = page["tasks"] else { break }
                seen += tasks.compactMap { task in
                    if case .object(let object) = task, case .string(let id)? = object["id"] { return id } else { return nil }
                }
                guard case .string(let cursor)? = page["next_cursor"] else { break }
                uri = "/tasks?limit=2&cursor=\(cursor)"
            }
            #expect(seen == created.reversed())

            let mine = try await client.send(.get, "/tasks?user_id=\(ada)&status=pending&task_type=noop")
            guard case .array(let tasks)? = mine["tasks"] else { return }
            #expect(tasks.count == 3)
            #expect(mine["next_cursor"] == .null)

            for (query, parameter) in [("status=sleeping", "status"), ("limit=0", "limit"), ("limit=abc", "limit"),
                                       ("user_id=ada", "user_id"), ("cursor=42", "cursor")] {
                let bad = try await client.send(.get, "/tasks?\(query)")
                #expect(bad.status == 400 && bad.errorCode == "invalid_query")
                #expect(bad.errorMessage.contains("'\(parameter)'"))
            }
        }
    }

    @Test("GET /tasks/{id} shows the task with its action log; unknown and malformed ids are told apart", arguments: StoreKind.available)
    func showTask(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            let id = try await create(client, #"{"task_type": "flaky", "context": {"fail_times": 1, "permanent": true}}"#)
            await harness.engine.runUntilIdle()
            let reply = try await client.send(.get, "/tasks/\(id)")
            #expect(reply.status == 200)
            #expect(reply["status"] == .string("failed"))
            guard case .array(let log)? = reply["action_log"], case .object(let entry)? = log.first else {
                Issue.record("no action log in \(reply.text)")
                return
            }
            #expect(log.count == 1)
            #expect(entry["action_type"] == .string("process_flaky"))
            #expect(entry["error"] == .string("permanent failure on attempt 1"))

            let missing = try await client.send(.get, "/tasks/\(UUID().lowercasedString)")
            #expect(missing.status == 404 && missing.errorCode == "task_not_found")
            let malformed = try await client.send(.get, "/tasks/not-a-uuid")
            #expect(malformed.status == 400 && malformed.errorCode == "invalid_id")
        }
    }

    @Test("cancel takes pending tasks; retry revives cancelled and failed ones; others get 409", arguments: StoreKind.available)
    func cancelAndRetry(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            let id = try await create(client, #"{"task_type": "noop", "scheduled_for": "2031-01-01T00:00:00Z"}"#)
            let cancelled = try await client.send(.post, "/tasks/\(id)/cancel")
            #expect(cancelled.status == 200 && cancelled["status"] == .string("cancelled"))
            let again = try await client.send(.post, "/tasks/\(id)/cancel")
            #expect(again.status == 409 && again.errorCode == "invalid_transition")
            let retried = try await client.send(.post, "/tasks/\(id)/retry")
            #expect(retried.status == 200 && retried["status"] == .string("pending"))
            let notFailed = try await client.send(.post, "/tasks/\(id)/retry")
            #expect(notFailed.status == 409)
            let missing = try await client.send(.post, "/tasks/\(UUID().lowercasedString)/cancel")
            #expect(missing.status == 404)
            let malformed = try await client.send(.post, "/tasks/123/retry")
            #expect(malformed.status == 400)
        }
    }

    @Test("POST /process-task runs a task now, even one scheduled later, and reports how it ended", arguments: StoreKind.available)
    func processTask(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            let later = try await create(client, #"{"task_type": "noop", "scheduled_for": "2031-01-01T00:00:00Z"}"#)
            let reply = try await client.send(.post, "/process-task", body: #"{"task_id": "\#(later)"}"#)
            #expect(reply.status == 200)
            #expect(reply["success"] == .bool(true))
            #expect(reply["taskId"] == .string(later))
            #expect(try await harness.db.store.task(id: UUID(uuidString: later)!)?.status == .completed)
            #expect(try await harness.db.store.actionLog(taskID: UUID(uuidString: later)!).count == 1)

            let finished = try await client.send(.post, "/process-task", body: #"{"task_id": "\#(later)"}"#)
            #expect(finished.status == 409 && finished.errorMessage.contains("it is completed"))

            let placeholder = try await create(client, #"{"task_type": "flaky", "context": {"fail_times": 1, "permanent": true}}"#)
            let failed = try await client.send(.post, "/process-task", body: #"{"task_id": "\#(placeholder)"}"#)
            #expect(failed.status == 200 && failed["success"] == .bool(false))

            #expect(try await client.send(.post, "/process-task", body: #"{"task_id": "\#(UUID().lowercasedString)"}"#).status == 404)
            #expect(try await client.send(.post, "/process-task", body: #"{"task_id": "abc"}"#).status == 422)
            #expect(try await client.send(.post, "/process-task", body: "{}").status == 422)
            #expect(try await client.send(.post, "/process-task", body: "nope").status == 400)
        }
    }

    @Test("POST /trigger-poll answers in the task processor's shape")
    func triggerPoll() async throws {
        try await APIHarness.with(.sqlite) { _, client in
            let reply = try await client.send(.post, "/trigger-poll")
            #expect(reply.status == 200)
            #expect(reply.json == .object(["success": .bool(true), "message": .string("Polling triggered")]))
        }
    }

    @Test("with a token, everything but /health needs it")
    func bearerToken() async throws {
        try await APIHarness.with(.sqlite, token: "s3cret-token") { _, client in
            #expect(try await client.send(.get, "/health", authorization: .some(nil)).status == 200)
            let missing = try await client.send(.get, "/tasks", authorization: .some(nil))
            #expect(missing.status == 401 && missing.errorCode == "unauthorized")
            let wrong = try await client.send(.get, "/tasks", authorization: "Bearer s3cret-tokeN")
            #expect(wrong.status == 401)
            #expect(!wrong.text.contains("s3cret"))
            #expect(try await client.send(.get, "/tasks", authorization: "Basic s3cret-token").status == 401)
            #expect(try await client.send(.post, "/trigger-poll", authorization: .some(nil)).status == 401)
            #expect(try await client.send(.get, "/tasks").status == 200)
            for scheme in ["bearer", "BEARER", "bEaReR"] {
                let reply = try await client.send(.get, "/tasks", authorization: "\(scheme) s3cret-token")
                #expect(reply.status == 200, "the scheme '\(scheme)' is refused")
            }
            #expect(try await client.send(.get, "/tasks", authorization: "bearer").status == 401)
        }
    }

    @Test("token comparison is exact")
    func constantTimeEquals() {
        let token = Array("abc".utf8)
        #expect(BearerTokenMiddleware<SchedulerRequestContext>.constantTimeEquals(token, Array("abc".utf8)))
        #expect(!BearerTokenMiddleware<SchedulerRequestContext>.constantTimeEquals(token, Array("abd".utf8)))
        #expect(!BearerTokenMiddleware<SchedulerRequestContext>.constantTimeEquals(token, Array("abc\0".utf8)))
        #expect(!BearerTokenMiddleware<SchedulerRequestContext>.constantTimeEquals(token, []))
    }

    @Test("an unknown route is a JSON 404; a known path with another method is a 405 naming the allowed ones")
    func unknownRoute() async throws {
        try await APIHarness.with(.sqlite) { _, client in
            let reply = try await client.client.executeRequest(uri: "/nowhere", method: .get, headers: [:], body: nil)
            #expect(reply.status == .notFound)
            #expect(JSONValue(parsing: String(buffer: reply.body)) != nil)
            let wrongMethod = try await client.client.executeRequest(
                uri: "/tasks/\(UUID().lowercasedString)", method: .delete, headers: [:], body: nil)
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "GET")
            #expect(String(buffer: wrongMethod.body).contains("method_not_allowed"))
        }
    }

    @Test("without a token the server refuses to bind anything but loopback")
    func bindRule() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let registry = try HandlerRegistry(testHandlers)
            let engine = Engine(store: db.store, registry: registry, logger: TestDatabase.logger)
            func application(host: String, token: String?) throws(ConfigurationError) {
                let environment = APIEnvironment(
                    store: db.store, engine: engine, registry: registry,
                    configuration: SchedulerConfiguration(host: host, apiToken: token))
                _ = try SchedulerAPI.application(environment, services: [], logger: TestDatabase.logger)
            }
            #expect(throws: ConfigurationError.self) { try application(host: "0.0.0.0", token: nil) }
            try application(host: "0.0.0.0", token: "t")
            try application(host: "127.0.0.1", token: nil)
            try application(host: "::1", token: nil)
        }
    }
}
