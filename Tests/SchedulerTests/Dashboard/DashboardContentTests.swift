import Foundation
import HTTPTypes
import HummingbirdTesting
import Scheduler
import TestSupport
import Testing

/// What a newcomer found misleading on the pages: a running task said "not run yet", the
/// failed list had no errors, the failure rate was undefined, and a type no engine runs
/// showed as running.
@Suite("Dashboard content", .timeLimit(.minutes(5)))
struct DashboardContentTests {
    @Test("a running task's page shows the running attempt", arguments: StoreKind.available)
    func runningAttempt(kind: StoreKind) async throws {
        try await APIHarness.with(kind, token: "dash+token") { harness, client in
            let now = harness.clock.now
            let task = try await harness.db.store.enqueue(NewTask(taskType: "noop"), now: now).task
            _ = try await harness.db.store.claim(
                taskTypes: ["noop"], limit: 1, workerID: "engine-7", leaseUntil: now.addingTimeInterval(60), now: now)
            let session = try await DashboardTests.logIn(client)
            let page = try await DashboardTests.send(client, .get, "/dashboard/tasks/\(task.id.lowercasedString)", session: session)
            #expect(!page.body.contains("Not run yet"))
            #expect(page.body.contains("<td>1</td><td>engine-7</td>") && page.body.contains(">running</td>"), "\(page.body)")
        }
    }

    @Test("the task list shows a failed task's last error; the overview defines its failure rate and says when no engine runs a type")
    func errorsAndStates() async throws {
        try await APIHarness.with(.sqlite, token: "dash+token") { harness, client in
            let now = harness.clock.now
            _ = try await harness.db.store.enqueue(
                NewTask(taskType: "flaky", maxRetries: 0, contextJSON: #"{"fail_times": 1, "permanent": true}"#), now: now)
            _ = await harness.engine.processDueTasks()
            let session = try await DashboardTests.logIn(client)
            let list = try await DashboardTests.send(client, .get, "/dashboard/tasks?status=failed", session: session)
            #expect(list.body.contains("Last error"))
            let failed = try await harness.db.store.tasks(matching: TaskFilter(status: .failed)).first
            let lastError = try #require(failed?.errorLog?.split(separator: "\n").last.map(String.init))
            #expect(list.body.contains(lastError.replacingOccurrences(of: "'", with: "&#39;").prefix(40)), "\(lastError)")

            var overview = try await DashboardTests.send(client, .get, "/dashboard", session: session)
            #expect(overview.body.contains("Failed attempts (1 h)") && overview.body.contains("a cancelled attempt counts as ended"))
            #expect(overview.body.contains("<td>no engine</td>"), "no engine has been seen for flaky")
            try await harness.db.store.recordWorker(
                WorkerSighting(workerID: "engine-1", kind: .engine, taskTypes: ["flaky"], seenAt: now))
            overview = try await DashboardTests.send(client, .get, "/dashboard", session: session)
            #expect(overview.body.contains("<td>active</td>"))
        }
    }
}
