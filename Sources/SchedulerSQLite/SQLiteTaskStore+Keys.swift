import Foundation
import SQLiteNIO
import Scheduler

/// Keys every instance shares (`agent_scheduler_keys`), revoked dashboard sessions, and
/// task ids by range (for ids given by a prefix).
extension SQLiteTaskStore {
    public func sharedKey(named name: String, creating candidate: String) async throws -> String {
        _ = try await query(
            "INSERT INTO agent_scheduler_keys (name, secret, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO NOTHING",
            [.text(name), .text(candidate), SQLiteValue.bind(Date())])
        let rows = try await query("SELECT secret FROM agent_scheduler_keys WHERE name = ?1", [.text(name)])
        guard let row = rows.first else {
            throw SchedulerError.invalidInput(field: "name", reason: "no key '\(name)' could be stored")
        }
        return try SQLiteValue.string(row, "secret")
    }

    public func revokeSession(nonce: String, expiresAt: Date, now: Date) async throws {
        _ = try await query("DELETE FROM agent_dashboard_revoked_sessions WHERE expires_at < ?1", [SQLiteValue.bind(now)])
        _ = try await query(
            "INSERT INTO agent_dashboard_revoked_sessions (nonce, expires_at) VALUES (?1, ?2) ON CONFLICT (nonce) DO NOTHING",
            [.text(nonce), SQLiteValue.bind(expiresAt)])
    }

    public func isSessionRevoked(nonce: String) async throws -> Bool {
        !(try await query("SELECT 1 AS revoked FROM agent_dashboard_revoked_sessions WHERE nonce = ?1", [.text(nonce)])).isEmpty
    }

    public func taskIDs(in range: (low: UUID, high: UUID), limit: Int) async throws -> [UUID] {
        try await query(
            "SELECT id FROM agent_tasks WHERE id BETWEEN ?1 AND ?2 ORDER BY id LIMIT ?3",
            [SQLiteValue.bind(range.low), SQLiteValue.bind(range.high), SQLiteValue.bind(limit)]
        ).map { try SQLiteValue.uuid($0, "id") }
    }
}
