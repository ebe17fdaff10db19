import Foundation
import TestSupport
import Testing

@testable import Scheduler
@testable import SchedulerPostgres
@testable import SchedulerService

/// Two instances on one PostgreSQL database: a client streaming from one sees what the
/// other does, with the details read back.
@Suite("Events across PostgreSQL instances", .timeLimit(.minutes(5)))
struct CrossInstanceEventsTests {
    @Test("a client of one instance sees the start and completion made by another, with the result",
          .enabled(if: StoreKind.postgresAvailable, "needs PostgreSQL: run scripts/test"))
    func completionSeenElsewhere() async throws {
        try await APIHarness.with(.postgres, live: true) { harness, client in
            try await StoreFactory.withStore(url: harness.db.url, bounds: TestDatabase.bounds, logger: TestDatabase.logger) { other in
                let listener = try #require(harness.db.store.wakeListener(logger: TestDatabase.logger) {})
                let listening = Task { try await listener.run() }
                defer { listening.cancel() }
                try await withDeadline {
                    try await waitUntilHeard(from: other, by: harness.db.store)
                    let id = try await other.enqueue(NewTask(taskType: "greet", contextJSON: #"{"name":"Bo","times":1}"#), now: Date()).task.id
                    let engine = Engine(
                        store: other, registry: try HandlerRegistry(testHandlers),
                        configuration: EngineConfiguration(workerID: "instance-b"), logger: TestDatabase.logger)
                    try await SSEClient.withStream(port: client.port, path: "/events?task_id=\(id.lowercasedString)") { reader in
                        let connected = try await reader.next()
                        #expect(connected?.comment == "connected")
                        await engine.processDueTasks()
                        var frames: [SSEClient.Frame] = []
                        while let frame = try await reader.nextEvent() {
                            frames.append(frame)
                            if frame.event == "task.completed" { break }
                        }
                        #expect(frames.map(\.event) == ["task.started", "task.completed"])
                        #expect(frames.first?.data?.contains(#""worker_id":"instance-b""#) == true)
                        #expect(frames.last?.data?.contains(#""result":{"greeting":"hello Bo"}"#) == true, "\(frames)")
                    }
                }
            }
        }
    }

    @Test("a serving instance announces its changes only while another one has event clients",
          .enabled(if: StoreKind.postgresAvailable, "needs PostgreSQL: run scripts/test"))
    func announcedOnlyWhenListened() async throws {
        try await TestDatabase.with(.postgres) { db in
            try await StoreFactory.withStore(url: db.url, announcing: .whenListened, bounds: TestDatabase.bounds, logger: TestDatabase.logger) { a in
                try await StoreFactory.withStore(url: db.url, announcing: .whenListened, bounds: TestDatabase.bounds, logger: TestDatabase.logger) { b in
                    let writer = try #require((b as? BoundedTaskStore<PostgresTaskStore>)?.inner)
                    let listener = try #require(a.wakeListener(logger: TestDatabase.logger) {})
                    let listening = Task { try await listener.run() }
                    defer { listening.cancel() }
                    try await withDeadline {
                        // Nobody has clients: b announces nothing.
                        #expect(writer.audience.origin(of: writer.events) == nil)
                        let heard = a.events.subscribe(EventFilter(taskType: "watched"))
                        defer { heard.cancel() }
                        // a has a client now: it registers, and b starts announcing within a second or so.
                        while writer.audience.origin(of: writer.events) == nil { try await Task.sleep(for: .milliseconds(50)) }
                        while true {
                            _ = try await b.enqueue(NewTask(taskType: "watched"), now: Date())
                            if case .events(let events) = await heard.next(timeout: .milliseconds(500)),
                                events.contains(where: { !$0.isLocal && $0.kind == .created })
                            {
                                break
                            }
                        }
                    }
                }
            }
        }
    }

    /// Enqueues probes through `writer` until `reader`'s bus hears one: LISTEN is in
    /// place on both channels then.
    func waitUntilHeard(from writer: any TaskStore, by reader: any TaskStore) async throws {
        while true {
            let subscription = reader.events.subscribe(EventFilter(taskType: "probe-listen"))
            defer { subscription.cancel() }
            _ = try await writer.enqueue(NewTask(taskType: "probe-listen"), now: Date())
            if case .events(let heard) = await subscription.next(timeout: .milliseconds(200)), heard.contains(where: { !$0.isLocal }) {
                return
            }
        }
    }
}
