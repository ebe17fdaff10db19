import Foundation

/// A schedule as both stores read it back: the text columns checked, so a row edited by
/// hand into an unusable cron or time zone is a clear error, not a crash.
package enum ScheduleRow {
    package static let columns =
        "name, task_type, cron, timezone, context_json, priority, paused, next_run_at, last_run_at, created_at, updated_at, user_id"

    package static func schedule(
        name: String, taskType: String, cron: String, timeZone: String, contextJSON: String, priority: String,
        paused: Bool, nextRunAt: Date?, lastRunAt: Date?, createdAt: Date, updatedAt: Date, userID: UUID?
    ) throws -> Schedule {
        let expression: CronExpression
        do {
            expression = try CronExpression(cron)
        } catch {
            throw StoreDecodingError(column: "cron", value: cron)
        }
        return Schedule(
            name: name, taskType: taskType, cron: expression,
            timeZone: try TimeZone(identifier: timeZone).orThrow(StoreDecodingError(column: "timezone", value: timeZone)),
            timeZoneName: timeZone, userID: userID,
            contextJSON: contextJSON,
            priority: try TaskPriority(rawValue: priority).orThrow(StoreDecodingError(column: "priority", value: priority)),
            paused: paused, nextRunAt: nextRunAt, lastRunAt: lastRunAt, createdAt: createdAt, updatedAt: updatedAt)
    }
}
