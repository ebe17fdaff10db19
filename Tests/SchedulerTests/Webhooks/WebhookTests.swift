import Crypto
import Foundation
import NIOCore
import NIOPosix
import TestSupport
import Testing

@testable import Scheduler
@testable import SchedulerServer
@testable import SchedulerService
@testable import SchedulerWebhooks

/// Completion webhooks on each database, sent to a real HTTP receiver on loopback: the
/// outbox written with the final state, signed deliveries, retries with backoff, the
/// retry window, the address policy, and one dispatcher per delivery.
@Suite("Completion webhooks", .timeLimit(.minutes(5)))
struct WebhookTests {
    static let secret = "webhook-test-secret"

    /// A dispatcher over `store` with an injected clock, and the sender it sends with.
    struct Dispatch {
        let dispatcher: WebhookDispatcher
        let sender: WebhookSender

        func once() async -> Int { await dispatcher.dispatchOnce(with: sender) }
    }

    func withDispatch<T: Sendable>(
        _ store: any TaskStore, clock: ManualClock, configuration: WebhookConfiguration = WebhookConfiguration(
            secret: WebhookTests.secret, allowPrivateAddresses: true),
        id: String = "dispatcher-a",
        metrics: SchedulerMetrics? = nil,
        _ body: (Dispatch) async throws -> T
    ) async throws -> T {
        let client = WebhookSender.makeClient(configuration: configuration)
        let dispatch = Dispatch(
            dispatcher: WebhookDispatcher(
                store: store, configuration: configuration, dispatcherID: id, clock: clock, metrics: metrics,
                logger: TestDatabase.logger),
            sender: WebhookSender(client: client, configuration: configuration, signature: configuration.secret.map(WebhookSignature.init)))
        do {
            let result = try await body(dispatch)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func engine(_ store: any TaskStore, clock: ManualClock) throws -> Engine {
        Engine(store: store, registry: try HandlerRegistry(testHandlers), configuration: EngineConfiguration(workerID: "w"),
               clock: clock, logger: TestDatabase.logger)
    }

    @Test("a completed task's webhook is written with its state and delivered signed, after a 500, on the backoff",
          arguments: StoreKind.available)
    func deliveredAfterRetry(kind: StoreKind) async throws {
        try await WebhookReceiver.with(answers: [500]) { receiver in
            try await TestDatabase.with(kind) { db in
                let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
                let task = try await db.store.enqueue(
                    NewTask(taskType: "greet", contextJSON: #"{"name":"Ada","times":1}"#, callbackURL: receiver.url),
                    now: clock.now).task
                await try engine(db.store, clock: clock).processDueTasks()
                let written = try await db.store.deliveries(taskID: task.id)
                #expect(written.map(\.status) == [.pending])
                #expect(written.first?.event == "task.completed")

                let export = PrometheusExport()
                try await withDispatch(db.store, clock: clock, metrics: SchedulerMetrics(factory: export.factory)) { dispatch in
                    #expect(await dispatch.once() == 1)
                    let failed = try #require(try await db.store.deliveries(taskID: task.id).first)
                    #expect(failed.status == .pending)
                    #expect(failed.attempts == 1)
                    #expect(failed.lastStatusCode == 500)
                    #expect(failed.nextAttemptAt == clock.now.addingTimeInterval(1))
                    #expect(await dispatch.once() == 0, "not due before its backoff")
                    clock.advance(by: .seconds(1))
                    #expect(await dispatch.once() == 1)
                }
                let scraped = export.registry.emitToString()
                #expect(scraped.contains(#"agent_scheduler_webhook_sends_total{result="retry"} 1"#), "\(scraped)")
                #expect(scraped.contains(#"agent_scheduler_webhook_sends_total{result="delivered"} 1"#))
                let delivered = try #require(try await db.store.deliveries(taskID: task.id).first)
                #expect(delivered.status == .delivered)
                #expect(delivered.attempts == 2)
                #expect(delivered.deliveredAt == clock.now)

                #expect(receiver.received.count == 2)
                for request in receiver.received {
                    #expect(request.headers["webhook-id"] == "\(delivered.id)")
                    #expect(request.headers["webhook-event"] == "task.completed")
                    #expect(request.headers["content-type"] == "application/json")
                    let timestamp = try #require(request.headers["webhook-timestamp"])
                    let mac = HMAC<SHA256>.authenticationCode(
                        for: Data("\(timestamp).\(request.body)".utf8), using: SymmetricKey(data: Data(Self.secret.utf8)))
                    #expect(request.headers["webhook-signature"] == "sha256=" + mac.map { String(format: "%02x", $0) }.joined())
                    let body = try #require(JSONValue(parsing: request.body))
                    guard case .object(let fields) = body else { throw TestFailure(request.body) }
                    #expect(fields["task_id"] == .string(task.id.lowercasedString))
                    #expect(fields["event"] == .string("task.completed"))
                    #expect(fields["status"] == .string("completed"))
                    #expect(fields["result"] == .object(["greeting": .string("hello Ada")]))
                    #expect(fields["attempts"] == .number(1))
                }
                #expect(receiver.received.map { $0.headers["webhook-timestamp"] } == ["1800000000", "1800000001"])
            }
        }
    }

    @Test("a receiver that keeps failing is given up after the retry window, with its last answer kept",
          arguments: StoreKind.available)
    func givenUp(kind: StoreKind) async throws {
        try await WebhookReceiver.with(answers: [503, 503, 503]) { receiver in
            try await TestDatabase.with(kind) { db in
                let clock = ManualClock.atThisSecond()
                let task = try await db.store.enqueue(NewTask(taskType: "noop", callbackURL: receiver.url), now: clock.now).task
                _ = try await db.store.cancel(id: task.id, now: clock.now)
                let configuration = WebhookConfiguration(allowPrivateAddresses: true, retryWindow: .seconds(2))
                try await withDispatch(db.store, clock: clock, configuration: configuration) { dispatch in
                    #expect(await dispatch.once() == 1)
                    clock.advance(by: .seconds(1))
                    #expect(await dispatch.once() == 1)
                }
                let delivery = try #require(try await db.store.deliveries(taskID: task.id).first)
                #expect(delivery.event == "task.cancelled")
                #expect(delivery.status == .failed)
                #expect(delivery.attempts == 2)
                #expect(delivery.lastStatusCode == 503)
                #expect(delivery.lastError == "HTTP 503", "the status only, nothing the receiver said")
                #expect(receiver.received.first?.headers["webhook-signature"] == nil, "no secret, no signature")
            }
        }
    }

    @Test("a URL inserted with plain SQL that points inward is refused at send time, not fetched",
          arguments: StoreKind.available)
    func refusedAtSend(kind: StoreKind) async throws {
        try await WebhookReceiver.with { receiver in
            try await TestDatabase.with(kind) { db in
                let clock = ManualClock.atThisSecond()
                let task = try await db.store.enqueue(NewTask(taskType: "noop", callbackURL: receiver.url), now: clock.now).task
                _ = try await db.store.cancel(id: task.id, now: clock.now)
                try await withDispatch(db.store, clock: clock, configuration: WebhookConfiguration()) { dispatch in
                    #expect(await dispatch.once() == 1)
                }
                let delivery = try #require(try await db.store.deliveries(taskID: task.id).first)
                #expect(delivery.status == .failed)
                #expect(delivery.lastError?.contains("resolves to 127.0.0.1, a private or local address") == true, "\(delivery)")
                #expect(receiver.received.isEmpty)
            }
        }
    }

    @Test("deployment subscriptions get the final states of their types only; retries write nothing",
          arguments: StoreKind.available)
    func subscriptions(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let subscriptions = WebhookSubscriptions([
                .init(url: "https://ops.example/all"), .init(url: "https://media.example/flaky", taskTypes: ["flaky"]),
            ])
            try await StoreFactory.withStore(url: db.url, webhooks: subscriptions, bounds: TestDatabase.bounds, logger: TestDatabase.logger) { store in
                let clock = ManualClock.atThisSecond()
                let noop = try await store.enqueue(NewTask(taskType: "noop"), now: clock.now).task
                let flaky = try await store.enqueue(
                    NewTask(taskType: "flaky", maxRetries: 1, contextJSON: #"{"fail_times": 5}"#), now: clock.now).task
                let engine = try engine(store, clock: clock)
                await engine.processDueTasks()
                #expect(try await store.deliveries(taskID: noop.id).map(\.url) == ["https://ops.example/all"])
                #expect(try await store.deliveries(taskID: flaky.id).isEmpty, "a retry is not final")
                clock.advance(by: .seconds(3600))
                await engine.processDueTasks()
                let ended = try await store.deliveries(taskID: flaky.id)
                #expect(ended.map(\.url) == ["https://ops.example/all", "https://media.example/flaky"])
                #expect(ended.map(\.event) == ["task.failed", "task.failed"])
                guard case .object(let payload)? = ended.first.flatMap({ JSONValue(parsing: $0.payload) }) else {
                    throw TestFailure("no payload")
                }
                #expect(payload["status"] == .string("failed"))
                #expect(payload["error"] == .string("transient failure on attempt 2"))
                #expect(payload["attempts"] == .number(2))
            }
        }
    }

    @Test("two dispatchers claiming at once never get the same delivery", arguments: StoreKind.available)
    func oneDispatcherEach(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let now = Date()
            for _ in 0..<40 {
                let task = try await db.store.enqueue(NewTask(taskType: "noop", callbackURL: "https://example.com/h"), now: now).task
                _ = try await db.store.cancel(id: task.id, now: now)
            }
            try await StoreFactory.withStore(url: db.url, bounds: TestDatabase.bounds, logger: TestDatabase.logger) { other in
                async let first = db.store.claimDeliveries(limit: 25, dispatcherID: "a", leaseUntil: now.addingTimeInterval(60), now: now)
                async let second = other.claimDeliveries(limit: 25, dispatcherID: "b", leaseUntil: now.addingTimeInterval(60), now: now)
                let (a, b) = try await (first, second)
                #expect(a.count + b.count == 40)
                #expect(Set(a.map(\.id)).isDisjoint(with: b.map(\.id)))
                let again = try await db.store.claimDeliveries(limit: 50, dispatcherID: "c", leaseUntil: now.addingTimeInterval(60), now: now)
                #expect(again.isEmpty, "leased to a and b")
                let later = try await db.store.claimDeliveries(
                    limit: 50, dispatcherID: "c", leaseUntil: now.addingTimeInterval(200), now: now.addingTimeInterval(61))
                #expect(later.count == 40, "a dispatcher that died lets its leases run out")
            }
        }
    }

    @Test("POST /tasks takes an http(s) callback_url, refuses others naming the field, and GET shows the deliveries",
          arguments: StoreKind.available)
    func throughTheAPI(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            for (url, problem) in [("ftp://example.com/x", "must be an http:// or https:// URL"),
                                   ("http://127.0.0.1:9/x", "points at a private or local address"),
                                   ("http://localhost/x", "points at this machine")] {
                let refused = try await client.send(.post, "/tasks", body: #"{"task_type": "noop", "callback_url": "\#(url)"}"#)
                #expect(refused.status == 422)
                #expect(refused.errorMessage.contains("invalid callback_url: \(problem)"), "\(refused.text)")
            }
            #expect(try await harness.db.store.tasks(matching: TaskFilter()).isEmpty, "nothing stored")
            let created = try await client.send(
                .post, "/tasks", body: #"{"task_type": "noop", "callback_url": "https://example.com/done"}"#)
            #expect(created["callback_url"] == .string("https://example.com/done"))
            guard case .string(let id)? = created["id"] else { throw TestFailure(created.text) }
            _ = try await client.send(.post, "/tasks/\(id)/cancel")
            let shown = try await client.send(.get, "/tasks/\(id)")
            guard case .array(let webhooks)? = shown["webhooks"], case .object(let delivery)? = webhooks.first else {
                throw TestFailure(shown.text)
            }
            #expect(delivery["url"] == .string("https://example.com/done"))
            #expect(delivery["event"] == .string("task.cancelled"))
            #expect(delivery["status"] == .string("pending"))
        }
    }

    @Test("private, loopback, link-local, shared and multicast addresses count as inward; public ones do not")
    func inwardAddresses() throws {
        for address in ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
                        "224.0.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12::3", "::ffff:127.0.0.1", "ff02::1",
                        "192.0.2.10", "198.51.100.7", "203.0.113.9", "100.127.255.254", "::127.0.0.1", "::10.0.0.1",
                        "64:ff9b::10.0.0.1", "64:ff9b::7f00:1", "2001:db8::1"] {
            #expect(WebhookAddressPolicy.isInward(try SocketAddress(ipAddress: address, port: 80)), "\(address)")
        }
        for address in ["8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8",
                        "64:ff9b::8.8.8.8", "198.51.101.1", "203.0.114.1"] {
            #expect(!WebhookAddressPolicy.isInward(try SocketAddress(ipAddress: address, port: 80)), "\(address)")
        }
        let policy = WebhookAddressPolicy(allowPrivateAddresses: false)
        for url in ["http://127.0.0.1:8080/x", "http://localhost/x", "http://[::1]/x", "http://10.0.0.5/x",
                    "http://192.0.2.1/x", "http://[64:ff9b::a00:1]/x", "http://[::127.0.0.1]/x"] {
            #expect(throws: WebhookURLError.self, "\(url)") { try policy.checkAtEnqueue(url) }
        }
        for url in ["ftp://example.com/x", "example.com/x", "http:///x"] {
            #expect(throws: WebhookURLError.self, "\(url)") { try WebhookAddressPolicy.checkSyntax(url) }
        }
        try policy.checkAtEnqueue("https://example.com/hooks?x=1")
        try WebhookAddressPolicy(allowPrivateAddresses: true).checkAtEnqueue("http://127.0.0.1:8080/x")
    }

    @Test("WEBHOOK_URLS takes URLs for every type and type1|type2=URL for some, and names a bad entry")
    func parsing() throws {
        let parsed = try WebhookSubscriptions(parsing: "https://a.example/all , transcribe|render=https://b.example/m?x=1")
        #expect(parsed.subscriptions == [
            .init(url: "https://a.example/all"),
            .init(url: "https://b.example/m?x=1", taskTypes: ["transcribe", "render"]),
        ])
        #expect(throws: WebhookURLError.self) { try WebhookSubscriptions(parsing: "https://a.example,ftp://b") }
        #expect(throws: WebhookURLError.self) { try WebhookSubscriptions(parsing: "bad type=https://b.example") }
    }

    @Test("this machine's own interface addresses are refused like loopback")
    func ownAddresses() throws {
        let own = try System.enumerateDevices().compactMap { $0.address?.ipAddress }
            .filter { !$0.hasPrefix("127.") && $0 != "::1" && !$0.hasPrefix("fe80") }
        let address = try #require(own.first, "this machine has an interface address besides loopback")
        let host = address.contains(":") ? "[\(address)]" : address
        #expect(throws: WebhookURLError.self) {
            try WebhookAddressPolicy(allowPrivateAddresses: false).checkAtEnqueue("http://\(host):8080/x")
        }
        #expect(WebhookAddressPolicy.isOwn(try SocketAddress(ipAddress: address, port: 80)))
    }

    @Test("a host that does not resolve is retried within the window; a closed port reads 'connection refused'",
          arguments: StoreKind.available)
    func transportErrorsRetried(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let clock = ManualClock.atThisSecond()
            let unresolved = try await db.store.enqueue(
                NewTask(taskType: "noop", callbackURL: "https://hooks.example.com/x"), now: clock.now).task
            _ = try await db.store.cancel(id: unresolved.id, now: clock.now)
            var configuration = WebhookConfiguration(allowPrivateAddresses: false)
            configuration.policy = WebhookAddressPolicy(allowPrivateAddresses: false) { host, _ in
                throw WebhookResolutionError(host: host, reason: "Temporary failure in name resolution")
            }
            try await withDispatch(db.store, clock: clock, configuration: configuration) { dispatch in
                #expect(await dispatch.once() == 1)
            }
            let retried = try #require(try await db.store.deliveries(taskID: unresolved.id).first)
            #expect(retried.status == .pending, "a DNS failure is retried, not failed for good")
            #expect(retried.lastError == "could not resolve hooks.example.com: temporary failure in name resolution")

            let port = try await closedLoopbackPort()
            let refused = try await db.store.enqueue(
                NewTask(taskType: "noop", callbackURL: "http://127.0.0.1:\(port)/hook"), now: clock.now).task
            _ = try await db.store.cancel(id: refused.id, now: clock.now)
            try await withDispatch(db.store, clock: clock) { dispatch in
                #expect(await dispatch.once() >= 1)
            }
            let delivery = try #require(try await db.store.deliveries(taskID: refused.id).first)
            #expect(delivery.status == .pending)
            #expect(delivery.lastError == "connection refused")
        }
    }

    /// A loopback port nothing listens on: bound and closed again.
    func closedLoopbackPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 1
        try await channel.close()
        return port
    }
}
