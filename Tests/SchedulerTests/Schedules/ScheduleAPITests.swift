import Foundation
import Scheduler
import TestSupport
import Testing

/// Schedules over HTTP: created, replaced, listed with next runs, paused, resumed and
/// removed, and refused with the field named.
@Suite("Schedules over HTTP", .timeLimit(.minutes(5)))
struct ScheduleAPITests {
    @Test("POST, GET, pause, resume and DELETE /schedules", arguments: StoreKind.available)
    func lifecycle(kind: StoreKind) async throws {
        try await APIHarness.with(kind) { harness, client in
            let body = #"{"name":"digest","task_type":"noop","cron":"0 9 * * 1-5","timezone":"Europe/Zurich","context":{"k":1},"priority":"high"}"#
            let created = try await client.send(.post, "/schedules", body: body)
            #expect(created.status == 201)
            guard case .array(let runs)? = created["next_runs"] else { Issue.record("no next_runs: \(created.text)"); return }
            #expect(runs.count == 5)
            #expect(created["next_run_at"] == runs.first)
            #expect(created["context"] == .object(["k": .number(1)]))
            let replaced = try await client.send(.post, "/schedules", body: body.replacingOccurrences(of: "0 9", with: "30 8"))
            #expect(replaced.status == 200)
            #expect(replaced["cron"] == .string("30 8 * * 1-5"))

            let listed = try await client.send(.get, "/schedules")
            guard case .array(let schedules)? = listed["schedules"] else { Issue.record("\(listed.text)"); return }
            #expect(schedules.count == 1)

            let paused = try await client.send(.post, "/schedules/digest/pause")
            #expect(paused["paused"] == .bool(true))
            #expect(paused["next_run_at"] == nil)
            #expect(paused["next_runs"] == .array([]))
            let resumed = try await client.send(.post, "/schedules/digest/resume")
            #expect(resumed["paused"] == .bool(false))
            #expect(resumed["next_run_at"] != nil)

            #expect(try await client.send(.delete, "/schedules/digest").status == 200)
            let gone = try await client.send(.delete, "/schedules/digest")
            #expect(gone.status == 404)
            #expect(gone.errorCode == "schedule_not_found")
            #expect(try await client.send(.post, "/schedules/digest/pause").status == 404)
        }
    }

    @Test("a bad schedule is a 422 that names the field and shows where the cron is wrong", arguments: [
        (#"{"name":"a","task_type":"noop","cron":"0 25 * * *"}"#, "the hour field at column 3: '25' is out of range 0-23"),
        (#"{"name":"a","task_type":"noop","cron":"* * * * *","timezone":"Mars/Olympus"}"#, "'Mars/Olympus' is not an IANA time zone"),
        (#"{"name":"a","task_type":"nope","cron":"* * * * *"}"#, "unknown task type 'nope'"),
        (#"{"name":"a b","task_type":"noop","cron":"* * * * *"}"#, "invalid name"),
        (#"{"name":"a","task_type":"noop"}"#, "field 'cron'"),
        (#"{"name":"a","task_type":"noop","cron":"* * * * *","every":"day"}"#, "every"),
    ])
    func refused(body: String, problem: String) async throws {
        try await APIHarness.with(.sqlite) { _, client in
            let reply = try await client.send(.post, "/schedules", body: body)
            #expect(reply.status == 422 || reply.status == 400)
            #expect(reply.errorMessage.contains(problem), "\(reply.errorMessage)")
            #expect(try await client.send(.get, "/schedules")["schedules"] == .array([]))
        }
    }
}
