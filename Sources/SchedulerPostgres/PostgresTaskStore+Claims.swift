import Foundation
import Logging
import PostgresNIO
import Scheduler

/// Claiming due tasks: the hot path's prepared statement for unlimited types, the
/// limited-claim function for types with limits, and one task by id.
extension PostgresTaskStore {
    public func claim(
        taskTypes: [String], limit: Int, workerID: String, leaseUntil: Date, now: Date
    ) async throws -> [AgentTask] {
        guard limit > 0, !taskTypes.isEmpty else { return [] }
        var tasks: [AgentTask] = []
        for type in taskTypes where tasks.count < limit {
            guard let typeLimit = limits[type] else { continue }
            tasks += try await claimLimited(
                type, typeLimit, limit: limit - tasks.count, workerID: workerID, leaseUntil: leaseUntil, now: now)
        }
        let unlimited = taskTypes.filter { limits[$0] == nil }
        if !unlimited.isEmpty, tasks.count < limit {
            tasks += try await claimUnlimited(
                unlimited, limit: limit - tasks.count, workerID: workerID, leaseUntil: leaseUntil, now: now)
        }
        return started(tasks, at: now)
    }

    /// The claim of types without limits: one prepared statement, the hot path.
    func claimUnlimited(
        _ taskTypes: [String], limit: Int, workerID: String, leaseUntil: Date, now: Date
    ) async throws -> [AgentTask] {
        let statement = PostgresClaimStatement(
            workerID: workerID, leaseUntil: leaseUntil, now: now, taskTypes: taskTypes, limit: limit)
        let announced = announcer.map { PostgresAnnouncedClaimStatement(claim: statement, origin: $0) }
        var tasks: [AgentTask] = []
        if poolMode == .session, !pooler.detected {
            do {
                if let announced {
                    for try await task in try await client.execute(announced, logger: logger) { tasks.append(task) }
                } else {
                    for try await task in try await client.execute(statement, logger: logger) { tasks.append(task) }
                }
                return tasks
            } catch let error as PSQLError where pooler.reveals(error) {
                logger.warning("""
                    a prepared statement vanished between statements: a transaction-mode pooler stands in the way; \
                    claiming without prepared statements from now on (set DATABASE_POOL_MODE=transaction to say so, \
                    which also polls every second, since LISTEN cannot pass such a pooler)
                    """)
            }
        }
        // A named prepared statement would outlive the pooler's transaction; the unnamed
        // one PostgresNIO sends with each query travels with it.
        let query = try announced.map { PostgresQuery(unsafeSQL: PostgresAnnouncedClaimStatement.sql, binds: try $0.makeBindings()) }
            ?? PostgresQuery(unsafeSQL: PostgresClaimStatement.sql, binds: try statement.makeBindings())
        for try await row in try await client.query(query, logger: logger) { tasks.append(try PostgresTaskRow.task(from: row)) }
        return tasks
    }

    /// The claim of one limited type (``PostgresFlowControlSQL/limitedClaimFunction``),
    /// sent unprepared: it runs only for the few limited types.
    func claimLimited(
        _ taskType: String, _ typeLimit: TaskLimit, limit: Int, workerID: String, leaseUntil: Date, now: Date
    ) async throws -> [AgentTask] {
        var binds = PostgresBindings(capacity: 9)
        binds.append(workerID)
        binds.append(leaseUntil)
        binds.append(now)
        binds.append(taskType)
        binds.append(limit)
        binds.append(typeLimit.concurrency)
        binds.append(typeLimit.rate?.starts)
        binds.append(typeLimit.rate?.period ?? 0)
        var query = PostgresQuery(unsafeSQL: PostgresFlowControlSQL.limitedClaim, binds: binds)
        if let announcer { query = PostgresEventNotice.announce(query, kind: .started, origin: announcer) }
        var tasks: [AgentTask] = []
        for try await row in try await client.query(query, logger: logger) { tasks.append(try PostgresTaskRow.task(from: row)) }
        return tasks
    }

    /// Publishes the claimed tasks' `task.started` and returns them in claim order.
    func started(_ tasks: [AgentTask], at now: Date) -> [AgentTask] {
        let ordered = tasks.sorted(by: AgentTask.claimOrder)
        events.publish(ordered.map { .changed(.started, $0, at: now) })
        return ordered
    }

    public func claim(id: UUID, workerID: String, leaseUntil: Date, now: Date) async throws -> AgentTask? {
        try await change(.started, now: now, """
            UPDATE agent_tasks
            SET status = 'processing', locked_by = \(workerID), locked_until = \(leaseUntil),
                last_attempted_at = \(now), updated_at = \(now)
            WHERE id = \(id) AND status = 'pending'
            """).first
    }

    /// The notices of the rows of `changed` (see ``PostgresEventNotice``) for statements
    /// that change tasks one way: the attempt is the one running for a start or progress,
    /// the last one finished otherwise.
    static func notices(_ kind: TaskEvent.Kind) -> String {
        let running = kind == .started || kind == .progress
        return PostgresEventNotice.notices(
            kind: "'\(kind.rawValue)'",
            attempt: kind == .created ? "NULL::int" : (running ? "c.attempts + 1" : "c.attempts"),
            worker: running ? "c.locked_by" : "NULL::text",
            from: "changed AS c")
    }
}
