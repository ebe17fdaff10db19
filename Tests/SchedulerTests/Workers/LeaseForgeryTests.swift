import Foundation
import TestSupport
import Testing

@testable import Scheduler

/// What someone who can read the API (worker ids, attempts, task ids) but did not claim
/// the task could try with the worker routes.
@Suite("Lease token forgery", .timeLimit(.minutes(5)))
struct LeaseForgeryTests {
    let helpers = WorkerAPITests()

    /// A token in the shape the server hands out, for `worker` and `attempt`, signed with
    /// a key of the forger's own.
    func forged(_ taskID: UUID, attempt: Int = 1, worker: String) -> String {
        let signature = LeaseKey(secret: "guessed").signature(taskID: taskID, attempt: attempt, leaseSeconds: 30, workerID: worker)
        let encoded = Data("\(attempt):30:\(worker)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return encoded + "." + signature
    }

    @Test("the worker routes refuse an in-process task with 409, whatever the token, and leave its attempt alone",
          arguments: StoreKind.available)
    func inProcessTask(kind: StoreKind) async throws {
        try await APIHarness.with(kind, configure: WorkerAPITests.remoteTypes) { harness, client in
            let id = try await helpers.enqueue(client, #"{"task_type": "noop"}"#)
            let now = harness.clock.now
            let running = try #require(try await harness.db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: "api-test", leaseUntil: now.addingTimeInterval(60), now: now).first)
            let token = forged(running.id, worker: "api-test")
            for (path, body) in [
                ("complete", #"{"lease_token": "\#(token)", "result": "forged"}"#),
                ("fail", #"{"lease_token": "\#(token)", "error": "forged"}"#),
                ("heartbeat", #"{"lease_token": "\#(token)"}"#),
            ] {
                let reply = try await client.send(.post, "/tasks/\(id)/\(path)", body: body)
                #expect(reply.status == 409, "\(path): \(reply.text)")
                #expect(reply.errorMessage.contains("not remote"), "\(path)")
            }
            let task = try #require(try await harness.db.store.task(id: running.id))
            #expect(task.status == .processing && task.attempt == 1 && task.resultJSON == nil)
            #expect(try await harness.db.store.actionLog(taskID: running.id).isEmpty)
        }
    }

    @Test("a token made up from the worker id and attempt, or signed for another task, is refused with 409",
          arguments: StoreKind.available)
    func madeUpTokens(kind: StoreKind) async throws {
        try await APIHarness.with(kind, configure: WorkerAPITests.remoteTypes) { harness, client in
            let first = try await helpers.enqueue(client, #"{"task_type": "render"}"#)
            let second = try await helpers.enqueue(client, #"{"task_type": "render"}"#)
            let claimed = try await helpers.claim(client, worker: "w", types: #"["render"]"#, extra: #", "max": 2"#)
            #expect(claimed.count == 2)
            let tokens = Dictionary(uniqueKeysWithValues: try claimed.map { task in
                guard case .string(let id)? = task["id"] else { throw TestFailure("no id") }
                return (id, try helpers.token(task))
            })
            let madeUp = forged(UUID(uuidString: first)!, worker: "w")
            let stolen = try #require(tokens[second])
            for token in [madeUp, stolen] {
                let reply = try await client.send(
                    .post, "/tasks/\(first)/complete", body: #"{"lease_token": "\#(token)", "result": "forged"}"#)
                #expect(reply.status == 409, "\(reply.text)")
                #expect(reply.errorMessage.contains("not handed out for this task"))
            }
            #expect(try await harness.db.store.task(id: UUID(uuidString: first)!)?.status == .processing)
            let genuine = try #require(tokens[first])
            let done = try await client.send(.post, "/tasks/\(first)/complete", body: #"{"lease_token": "\#(genuine)", "result": 1}"#)
            #expect(done.status == 200, "\(done.text)")
        }
    }

    @Test("GET /health shows the worker id only to a request with the token")
    func healthHidesWorkerID() async throws {
        try await APIHarness.with(.sqlite, token: "t0ken") { _, client in
            let open = try await client.send(.get, "/health", authorization: .some(nil))
            #expect(open.status == 200)
            #expect(open["workerId"] == nil)
            #expect(try await client.send(.get, "/health")["workerId"] == .string("api-test"))
        }
    }
}
