import Foundation
import PostgresNIO
import Scheduler

/// Paused task types (`agent_task_type_pauses`), read by every claim.
extension PostgresTaskStore {
    public func pause(taskType: String, now: Date) async throws -> Bool {
        let rows = try await client.query(
            """
            INSERT INTO agent_task_type_pauses (task_type, paused_at) VALUES (\(taskType), \(now))
            ON CONFLICT (task_type) DO NOTHING
            RETURNING task_type
            """,
            logger: logger
        ).collect()
        return !rows.isEmpty
    }

    /// Resumes the type and, in the same statement, wakes every instance's engine (the
    /// NOTIFY an insert sends), since its waiting tasks are due now.
    public func resume(taskType: String) async throws -> Bool {
        let rows = try await client.query(
            """
            WITH resumed AS (DELETE FROM agent_task_type_pauses WHERE task_type = \(taskType) RETURNING task_type)
            SELECT task_type, pg_notify('\(unescaped: PostgresWakeListener.channel)', task_type) FROM resumed
            """,
            logger: logger
        ).collect()
        return !rows.isEmpty
    }

    public func pausedTaskTypes() async throws -> [String: Date] {
        var paused: [String: Date] = [:]
        let rows = try await client.query("SELECT task_type, paused_at FROM agent_task_type_pauses", logger: logger)
        for try await (type, at) in rows.decode((String, Date).self) { paused[type] = at }
        return paused
    }
}
