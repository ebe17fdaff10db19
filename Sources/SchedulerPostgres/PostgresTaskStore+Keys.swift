import Foundation
import PostgresNIO
import Scheduler

/// Keys every instance shares (`agent_scheduler_keys`), revoked dashboard sessions, and
/// task ids by range (for ids given by a prefix).
extension PostgresTaskStore {
    public func sharedKey(named name: String, creating candidate: String) async throws -> String {
        let rows = try await client.query(
            """
            WITH inserted AS (
                INSERT INTO agent_scheduler_keys (name, secret) VALUES (\(name), \(candidate))
                ON CONFLICT (name) DO NOTHING RETURNING secret)
            SELECT secret FROM inserted UNION ALL SELECT secret FROM agent_scheduler_keys WHERE name = \(name)
            """,
            logger: logger)
        for try await secret in rows.decode(String.self) { return secret }
        throw SchedulerError.invalidInput(field: "name", reason: "no key '\(name)' could be stored")
    }

    public func revokeSession(nonce: String, expiresAt: Date, now: Date) async throws {
        _ = try await client.query(
            """
            WITH pruned AS (DELETE FROM agent_dashboard_revoked_sessions WHERE expires_at < \(now))
            INSERT INTO agent_dashboard_revoked_sessions (nonce, expires_at) VALUES (\(nonce), \(expiresAt))
            ON CONFLICT (nonce) DO NOTHING
            """,
            logger: logger
        ).collect()
    }

    public func isSessionRevoked(nonce: String) async throws -> Bool {
        let rows = try await client.query(
            "SELECT 1 FROM agent_dashboard_revoked_sessions WHERE nonce = \(nonce)", logger: logger
        ).collect()
        return !rows.isEmpty
    }

    public func taskIDs(in range: (low: UUID, high: UUID), limit: Int) async throws -> [UUID] {
        var ids: [UUID] = []
        let rows = try await client.query(
            """
            SELECT id FROM agent_tasks WHERE id BETWEEN \(range.low) AND \(range.high) ORDER BY id LIMIT \(limit)
            """,
            logger: logger)
        for try await id in rows.decode(UUID.self) { ids.append(id) }
        return ids
    }
}
