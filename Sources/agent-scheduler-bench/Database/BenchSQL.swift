import Foundation

/// The plain SQL the benchmark runs beside the engine, in one database's dialect: what
/// another service would insert, and what the figures are read back from.
protocol BenchSQL: Sendable {
    /// Empties `agent_tasks` and `agent_actions_log`.
    func reset() async throws

    /// Inserts `count` pending noop tasks, due at `dueAt` (now when `nil`), in one statement.
    func insertNoops(_ count: Int, dueAt: Date?) async throws

    /// Inserts one noop task with plain SQL, due at `scheduledFor` (now when `nil`).
    func insertOne(scheduledFor: Date?) async throws

    /// Inserts a history of `tasks` finished tasks (one in 50 failed, the rest completed;
    /// four task types) with one action-log row each, in time order: `recent` of them in
    /// the hour before `now`, the rest spread over the 30 days before that. Then updates
    /// the planner's statistics (and PostgreSQL's visibility map, as autovacuum would).
    func fillHistory(tasks: Int, recent: Int, now: Date) async throws

    /// Updates the planner's statistics (and PostgreSQL's visibility map), as autovacuum
    /// would have after a bulk insert.
    func analyze() async throws

    /// The single integer a query returns (0 when it returns no row).
    func integer(_ sql: String) async throws -> Int

    /// Action-log rows by `worker_id`.
    func attemptsPerWorker() async throws -> [String: Int]

    /// For every completed task: its `created_at`, its `scheduled_for`, its handler's
    /// start and its `completed_at`.
    func completedTaskTimes() async throws -> [(created: Date, scheduled: Date, started: Date, completed: Date)]
}
