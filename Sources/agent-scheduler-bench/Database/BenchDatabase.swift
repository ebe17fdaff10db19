import Foundation
import Scheduler
import SchedulerService

/// What the benchmark asks of the database, in either dialect: bulk inserts as another
/// service would make them, counts, and the timings the action log recorded.
struct BenchDatabase: Sendable {
    let sql: any BenchSQL

    init(store: any TaskStore) throws {
        sql = try store.accept(BenchSQLFactory())
    }

    func isEmpty() async throws -> Bool {
        try await sql.integer("SELECT count(*) FROM agent_tasks") == 0
    }

    func reset() async throws { try await sql.reset() }

    func insertNoops(_ count: Int, dueAt: Date? = nil) async throws { try await sql.insertNoops(count, dueAt: dueAt) }

    func insertOne(scheduledFor: Date?) async throws { try await sql.insertOne(scheduledFor: scheduledFor) }

    /// How many users the history's tasks belong to (as agents' tasks mostly have one):
    /// user *n* is `00000000-0000-4000-8000-` and *n* in twelve hex digits.
    static let historyUsers = 10_000

    /// The id of the history's user `number`.
    static func historyUser(_ number: Int) -> UUID {
        UUID(uuidString: "00000000-0000-4000-8000-" + String(format: "%012x", number))!
    }

    func fillHistory(tasks: Int, recent: Int, now: Date) async throws {
        try await sql.fillHistory(tasks: tasks, recent: recent, now: now)
    }

    func analyze() async throws { try await sql.analyze() }

    /// Whether any task is still pending or processing. Cheap enough to ask every 10 ms:
    /// it reads the partial indexes of those two states, where counting the completed
    /// tasks scanned the whole table and took CPU from the engine being measured.
    func unfinishedRemain() async throws -> Bool {
        try await sql.integer(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM agent_tasks WHERE status = 'pending')"
                + " OR EXISTS (SELECT 1 FROM agent_tasks WHERE status = 'processing') THEN 1 ELSE 0 END") == 1
    }

    /// Waits until no task is pending or processing, then checks that `expected` tasks
    /// are completed.
    func waitUntilAllCompleted(_ expected: Int) async throws {
        while try await unfinishedRemain() { try await Task.sleep(for: .milliseconds(10)) }
        try await checkAllCompleted(expected)
    }

    /// Throws unless `expected` tasks are completed.
    func checkAllCompleted(_ expected: Int) async throws {
        let completed = try await sql.integer("SELECT count(*) FROM agent_tasks WHERE status = 'completed'")
        guard completed == expected else { throw BenchError.notAllCompleted(expected: expected, completed: completed) }
    }

    /// Throws unless `expected` of the workload's own tasks (not the history's, which
    /// `fillHistory` marks `bench-history`) are completed.
    func checkWorkloadCompleted(_ expected: Int) async throws {
        let completed = try await sql.integer(
            "SELECT count(*) FROM agent_tasks WHERE status = 'completed' AND agent_type = 'bench'")
        guard completed == expected else { throw BenchError.notAllCompleted(expected: expected, completed: completed) }
    }

    func actionLogCount() async throws -> Int {
        try await sql.integer("SELECT count(*) FROM agent_actions_log")
    }

    /// Tasks with at least one action-log row.
    func tasksWithAttempts() async throws -> Int {
        try await sql.integer("SELECT count(DISTINCT context_id) FROM agent_actions_log")
    }

    /// Action-log rows by `worker_id`.
    func attemptsPerWorker() async throws -> [String: Int] { try await sql.attemptsPerWorker() }

    /// For every completed task, in ms: handler start minus `created_at`, and minus
    /// `scheduled_for`; `completed_at` minus `created_at`.
    func startDelays() async throws -> [(afterCreated: Double, afterScheduled: Double, completedAfterCreated: Double)] {
        try await sql.completedTaskTimes().map { times in
            (times.started.timeIntervalSince(times.created) * 1000, times.started.timeIntervalSince(times.scheduled) * 1000,
             times.completed.timeIntervalSince(times.created) * 1000)
        }
    }
}
