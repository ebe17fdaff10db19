import Foundation
import Logging
import SQLiteNIO
import Scheduler

/// Claiming due tasks, within each type's limits, and one task by id.
extension SQLiteTaskStore {
    public func claim(
        taskTypes: [String], limit: Int, workerID: String, leaseUntil: Date, now: Date
    ) async throws -> [AgentTask] {
        guard limit > 0, !taskTypes.isEmpty else { return [] }
        let limits = limits
        let limited = taskTypes.filter { limits[$0] != nil }
        let tasks: [AgentTask]
        if limited.isEmpty {
            tasks = try await lock.withLock {
                try await Self.claimDue(taskTypes, limit: limit, workerID: workerID, leaseUntil: leaseUntil, now: now, on: connection)
            }
        } else {
            // `dueTasks` leaves paused types out, limited or not.
            tasks = try await transaction { connection in
                var tasks: [AgentTask] = []
                for type in limited where tasks.count < limit {
                    let typeLimit = limits[type] ?? TaskLimit()
                    let allowed = try await Self.allowedStarts(of: type, typeLimit, now: now, on: connection)
                    let claimed = try await Self.claimDue(
                        [type], limit: min(allowed, limit - tasks.count), workerID: workerID, leaseUntil: leaseUntil,
                        now: now, on: connection)
                    if typeLimit.rate != nil {
                        for _ in claimed {
                            _ = try await connection.rows(
                                "INSERT INTO agent_task_starts (task_type, started_at) VALUES (?1, ?2)",
                                [.text(type), SQLiteValue.bind(now)])
                        }
                    }
                    tasks += claimed
                }
                tasks += try await Self.claimDue(
                    taskTypes.filter { limits[$0] == nil }, limit: limit - tasks.count, workerID: workerID,
                    leaseUntil: leaseUntil, now: now, on: connection)
                return tasks
            }
        }
        let ordered = tasks.sorted(by: AgentTask.claimOrder)
        events.publish(ordered.map { .changed(.started, $0, at: now) })
        return ordered
    }

    /// Marks up to `limit` due tasks of `taskTypes` as claimed.
    static func claimDue(
        _ taskTypes: [String], limit: Int, workerID: String, leaseUntil: Date, now: Date, on connection: SQLiteConnection
    ) async throws -> [AgentTask] {
        guard limit > 0, !taskTypes.isEmpty else { return [] }
        return try await connection.rows(
            """
            UPDATE agent_tasks
            SET status = 'processing', locked_by = ?1, locked_until = ?2, last_attempted_at = ?3, updated_at = ?3
            WHERE id IN (\(Self.dueTasks))
            RETURNING \(SQLiteTaskRow.columns)
            """,
            [
                .text(workerID), SQLiteValue.bind(leaseUntil), SQLiteValue.bind(now),
                SQLiteValue.bindList(taskTypes), SQLiteValue.bind(limit),
            ]
        ).map(SQLiteTaskRow.task(from:))
    }

    /// How many tasks of `type` may start now under its limit: its running tasks and its
    /// starts within the rate's period (older starts are dropped) counted in the claim's
    /// transaction, which SQLite runs alone.
    static func allowedStarts(
        of type: String, _ typeLimit: TaskLimit, now: Date, on connection: SQLiteConnection
    ) async throws -> Int {
        var allowed = Int.max
        if let concurrency = typeLimit.concurrency {
            let rows = try await connection.rows(
                "SELECT count(*) AS n FROM agent_tasks WHERE status = 'processing' AND task_type = ?1", [.text(type)])
            allowed = concurrency - (try rows.first.map { try SQLiteValue.int($0, "n") } ?? 0)
        }
        if let rate = typeLimit.rate {
            // Claim times may arrive out of order (the poller and a worker's claim): keep a
            // minute past the period, and count this claim's own window.
            _ = try await connection.rows(
                "DELETE FROM agent_task_starts WHERE task_type = ?1 AND started_at <= ?2",
                [.text(type), SQLiteValue.bind(now.addingTimeInterval(-rate.period - 60))])
            let rows = try await connection.rows(
                "SELECT count(*) AS n FROM agent_task_starts WHERE task_type = ?1 AND started_at > ?2",
                [.text(type), SQLiteValue.bind(now.addingTimeInterval(-rate.period))])
            allowed = min(allowed, rate.starts - (try rows.first.map { try SQLiteValue.int($0, "n") } ?? 0))
        }
        return max(0, allowed)
    }

    public func claim(id: UUID, workerID: String, leaseUntil: Date, now: Date) async throws -> AgentTask? {
        try await change(.started, now: now,
            """
            UPDATE agent_tasks
            SET status = 'processing', locked_by = ?1, locked_until = ?2, last_attempted_at = ?3, updated_at = ?3
            WHERE id = ?4 AND status = 'pending'
            """,
            [.text(workerID), SQLiteValue.bind(leaseUntil), SQLiteValue.bind(now), SQLiteValue.bind(id)]
        ).first
    }
}
