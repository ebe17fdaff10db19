import Foundation
import SQLiteNIO
import Scheduler

/// Paused task types (`agent_task_type_pauses`), read by every claim.
extension SQLiteTaskStore {
    public func pause(taskType: String, now: Date) async throws -> Bool {
        !(try await query(
            """
            INSERT INTO agent_task_type_pauses (task_type, paused_at) VALUES (?1, ?2)
            ON CONFLICT (task_type) DO NOTHING
            RETURNING task_type
            """,
            [.text(taskType), SQLiteValue.bind(now)]
        )).isEmpty
    }

    public func resume(taskType: String) async throws -> Bool {
        !(try await query("DELETE FROM agent_task_type_pauses WHERE task_type = ?1 RETURNING task_type", [.text(taskType)]))
            .isEmpty
    }

    public func pausedTaskTypes() async throws -> [String: Date] {
        var paused: [String: Date] = [:]
        for row in try await query("SELECT task_type, paused_at FROM agent_task_type_pauses", []) {
            paused[try SQLiteValue.string(row, "task_type")] = try SQLiteValue.date(row, "paused_at")
        }
        return paused
    }
}
