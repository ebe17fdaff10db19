import Foundation
import TestSupport
import Testing

@testable import Scheduler

/// Reports progress as fast as it can: `reports` times, the last one complete.
struct ProgressHandler: TaskHandler {
    struct Context: Codable, Sendable {
        var reports: Int
        var dataBytes: Int?

        enum CodingKeys: String, CodingKey {
            case reports
            case dataBytes = "data_bytes"
        }
    }

    struct Result: Encodable, Sendable {}

    static let taskType = "progress"
    static let taskDescription = "Reports progress several times, then completes."
    static let contextSchema = ContextSchema.object([.integer("reports", "How many reports.", required: true), .integer("data_bytes", "Padding in each report.")])

    func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        for step in 1...context.reports {
            let data = JSONValue.object(["step": .number(Double(step)), "pad": .string(String(repeating: "x", count: context.dataBytes ?? 0))])
            invocation.reportProgress(Double(step) / Double(context.reports), message: "step \(step)", data: data)
        }
        return Result()
    }
}

/// Progress a handler reports is stored on its task, streamed, and throttled.
@Suite("Progress", .timeLimit(.minutes(5)))
struct ProgressTests {
    @Test("a handler reporting in a tight loop costs at most one write before its result, which stores the last report",
          arguments: StoreKind.available)
    func throttled(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let harness = try EngineHarness(db, handlers: [ProgressHandler()]) { $0.progressInterval = .seconds(3600) }
            let task = try await harness.enqueue("progress", context: #"{"reports": 10000}"#)
            let subscription = db.store.events.subscribe(EventFilter(kinds: [.progress]))
            defer { subscription.cancel() }
            await harness.engine.processDueTasks()
            var written = 0
            if case .events(let events) = await subscription.next(timeout: .zero) { written = events.count }
            #expect(written <= 1, "at most the first report is written before the result")
            let stored = try #require(try await harness.task(task.id)?.progressJSON.flatMap(TaskProgress.init(json:)))
            #expect(stored.fraction == 1 && stored.message == "step 10000" && stored.attempt == 1)
            #expect(stored.data == .object(["step": .number(10000), "pad": .string("")]))
        }
    }

    @Test("progress data larger than the limit is dropped, the rest kept", arguments: [StoreKind.sqlite])
    func oversizedData(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let harness = try EngineHarness(db, handlers: [ProgressHandler()])
            let task = try await harness.enqueue("progress", context: #"{"reports": 1, "data_bytes": 5000}"#)
            await harness.engine.processDueTasks()
            let stored = try #require(try await harness.task(task.id)?.progressJSON.flatMap(TaskProgress.init(json:)))
            #expect(stored.data == nil && stored.message == "step 1" && stored.fraction == 1)
        }
    }

    @Test("the probe handler reports progress_steps times and refuses a count out of range")
    func probe() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let harness = try EngineHarness(db, handlers: [ProbeHandler()])
            let task = try await harness.enqueue("probe", context: #"{"progress_steps": 4}"#)
            let wrong = try await harness.enqueue("probe", context: #"{"progress_steps": 10001}"#)
            await harness.engine.processDueTasks()
            let stored = try #require(try await harness.task(task.id)?.progressJSON.flatMap(TaskProgress.init(json:)))
            #expect(stored.fraction == 1 && stored.message == "step 4 of 4")
            let refused = try await harness.task(wrong.id)
            #expect(refused?.status == .failed && refused?.errorLog?.contains("'progress_steps'") == true)
        }
    }

    @Test("GET /tasks/{id} shows the progress", arguments: [StoreKind.sqlite])
    func shownByAPI(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            let task = try await harness.db.store.enqueue(NewTask(taskType: "noop"), now: harness.clock.now).task
            let claimed = try await harness.db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: "w", leaseUntil: harness.clock.now.addingTimeInterval(60),
                now: harness.clock.now)
            #expect(claimed.count == 1)
            try await harness.db.store.saveProgress(
                TaskProgress(fraction: 0.25, message: "a quarter", data: .object(["rows": .number(250)]), attempt: 1,
                             updatedAt: harness.clock.now),
                taskID: task.id, workerID: "w")
            let reply = try await client.send(.get, "/tasks/\(task.id.lowercasedString)")
            guard case .object(let progress)? = reply["progress"] else {
                Issue.record("no progress in \(reply.text)")
                return
            }
            #expect(progress["fraction"] == .number(0.25) && progress["message"] == .string("a quarter"))
            #expect(progress["data"] == .object(["rows": .number(250)]))
        }
    }
}
