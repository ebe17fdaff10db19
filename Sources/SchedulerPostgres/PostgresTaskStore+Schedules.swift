import Foundation
import PostgresNIO
import Scheduler

/// Recurring schedules (`agent_schedules`).
extension PostgresTaskStore {
    public func saveSchedule(_ schedule: Schedule) async throws -> Bool {
        let rows = try await client.query(
            """
            INSERT INTO agent_schedules (\(unescaped: ScheduleRow.columns))
            VALUES (\(schedule.name), \(schedule.taskType), \(schedule.cron.description), \(schedule.timeZoneName),
                    \(schedule.contextJSON), \(schedule.priority.rawValue), \(schedule.paused), \(schedule.nextRunAt),
                    \(schedule.lastRunAt), \(schedule.createdAt), \(schedule.updatedAt), \(schedule.userID))
            ON CONFLICT (name) DO UPDATE
            SET task_type = excluded.task_type, cron = excluded.cron, timezone = excluded.timezone, user_id = excluded.user_id,
                context_json = excluded.context_json, priority = excluded.priority, paused = excluded.paused,
                next_run_at = excluded.next_run_at, last_run_at = excluded.last_run_at, updated_at = excluded.updated_at
            RETURNING (xmax = 0) AS inserted
            """,
            logger: logger
        )
        for try await inserted in rows.decode(Bool.self) { return inserted }
        return false
    }

    public func schedules() async throws -> [Schedule] {
        try await decodeSchedules(client.query(
            "SELECT \(unescaped: ScheduleRow.columns) FROM agent_schedules ORDER BY name", logger: logger))
    }

    public func deleteSchedule(named name: String) async throws -> Schedule? {
        try await decodeSchedules(client.query(
            "DELETE FROM agent_schedules WHERE name = \(name) RETURNING \(unescaped: ScheduleRow.columns)", logger: logger
        )).first
    }

    public func advanceSchedule(named name: String, from: Date, to: Date?, ranAt: Date) async throws -> Bool {
        let rows = try await client.query(
            """
            UPDATE agent_schedules SET next_run_at = \(to), last_run_at = \(ranAt), updated_at = \(ranAt)
            WHERE name = \(name) AND next_run_at = \(from) AND NOT paused
            RETURNING name
            """,
            logger: logger
        ).collect()
        return !rows.isEmpty
    }

    private func decodeSchedules(_ rows: PostgresRowSequence) async throws -> [Schedule] {
        var schedules: [Schedule] = []
        for try await row in rows {
            let (name, type, cron, zone, context, priority, paused, next, last, created, updated, user) = try row.decode(
                (String, String, String, String, String, String, Bool, Date?, Date?, Date, Date, UUID?).self)
            schedules.append(try ScheduleRow.schedule(
                name: name, taskType: type, cron: cron, timeZone: zone, contextJSON: context, priority: priority,
                paused: paused, nextRunAt: next, lastRunAt: last, createdAt: created, updatedAt: updated, userID: user))
        }
        return schedules
    }
}
