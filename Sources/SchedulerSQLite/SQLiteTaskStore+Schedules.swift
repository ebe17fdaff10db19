import Foundation
import SQLiteNIO
import Scheduler

/// Recurring schedules (`agent_schedules`).
extension SQLiteTaskStore {
    public func saveSchedule(_ schedule: Schedule) async throws -> Bool {
        try await transaction { connection in
            let existing = try await connection.rows("SELECT 1 FROM agent_schedules WHERE name = ?1", [.text(schedule.name)])
            _ = try await connection.rows(
                """
                INSERT INTO agent_schedules (\(ScheduleRow.columns))
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                ON CONFLICT (name) DO UPDATE
                SET task_type = excluded.task_type, cron = excluded.cron, timezone = excluded.timezone, user_id = excluded.user_id,
                    context_json = excluded.context_json, priority = excluded.priority, paused = excluded.paused,
                    next_run_at = excluded.next_run_at, last_run_at = excluded.last_run_at, updated_at = excluded.updated_at
                """,
                [
                    .text(schedule.name), .text(schedule.taskType), .text(schedule.cron.description),
                    .text(schedule.timeZoneName), .text(schedule.contextJSON), .text(schedule.priority.rawValue),
                    SQLiteValue.bind(schedule.paused ? 1 : 0), SQLiteValue.bind(schedule.nextRunAt),
                    SQLiteValue.bind(schedule.lastRunAt), SQLiteValue.bind(schedule.createdAt),
                    SQLiteValue.bind(schedule.updatedAt), SQLiteValue.bind(schedule.userID),
                ])
            return existing.isEmpty
        }
    }

    public func schedules() async throws -> [Schedule] {
        try await query("SELECT \(ScheduleRow.columns) FROM agent_schedules ORDER BY name").map(Self.schedule(from:))
    }

    public func deleteSchedule(named name: String) async throws -> Schedule? {
        try await query("DELETE FROM agent_schedules WHERE name = ?1 RETURNING \(ScheduleRow.columns)", [.text(name)])
            .map(Self.schedule(from:)).first
    }

    public func advanceSchedule(named name: String, from: Date, to: Date?, ranAt: Date) async throws -> Bool {
        !(try await query(
            """
            UPDATE agent_schedules SET next_run_at = ?1, last_run_at = ?2, updated_at = ?2
            WHERE name = ?3 AND next_run_at = ?4 AND paused = 0
            RETURNING name
            """,
            [SQLiteValue.bind(to), SQLiteValue.bind(ranAt), .text(name), SQLiteValue.bind(from)]
        )).isEmpty
    }

    private static func schedule(from row: SQLiteRow) throws -> Schedule {
        try ScheduleRow.schedule(
            name: try SQLiteValue.string(row, "name"), taskType: try SQLiteValue.string(row, "task_type"),
            cron: try SQLiteValue.string(row, "cron"), timeZone: try SQLiteValue.string(row, "timezone"),
            contextJSON: try SQLiteValue.string(row, "context_json"), priority: try SQLiteValue.string(row, "priority"),
            paused: try SQLiteValue.int(row, "paused") != 0, nextRunAt: try SQLiteValue.optionalDate(row, "next_run_at"),
            lastRunAt: try SQLiteValue.optionalDate(row, "last_run_at"), createdAt: try SQLiteValue.date(row, "created_at"),
            updatedAt: try SQLiteValue.date(row, "updated_at"), userID: try SQLiteValue.optionalUUID(row, "user_id"))
    }
}
