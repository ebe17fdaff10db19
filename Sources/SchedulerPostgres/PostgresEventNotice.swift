import Foundation
import PostgresNIO
import Scheduler

/// Task events between PostgreSQL instances: each statement that changes tasks also
/// sends `NOTIFY agent_scheduler_events` in its own transaction, so the notice goes out
/// exactly when the change commits, and every instance's LISTEN connection hears it.
///
/// A notice is kept small: the sending store's origin, a space, and a JSON array of
/// `[kind, task id, task type, user id, attempt, worker, status]` entries — what clients
/// filter on. Results, errors and progress are read back by the instances whose
/// clients want them. Entries are split across notices of at most about 7,000 bytes
/// (PostgreSQL refuses payloads of 8,000).
enum PostgresEventNotice {
    static let channel = "agent_scheduler_events"

    /// The bytes of entries that start a new notice.
    static let chunkBytes = 6_500

    /// The rest of a `notified` CTE after `SELECT pg_notify(channel, <origin bind> ||`:
    /// one notice per chunk of the rows of `source` (a FROM clause whose rows are aliased
    /// `c`). `kind`, `attempt` and `worker` are SQL expressions over `c`.
    static func notices(kind: String, attempt: String, worker: String, from source: String) -> String {
        let entry = """
            json_build_array(\(kind), c.id, c.task_type, c.user_id, \(attempt), left(\(worker), 100), c.status)
            """
        return """
            ' ' || json_agg(x.e ORDER BY x.n)::text)
            FROM (SELECT \(entry) AS e, row_number() OVER () AS n,
                         sum(octet_length(\(entry)::text)) OVER (ROWS UNBOUNDED PRECEDING) / \(chunkBytes) AS chunk
                  FROM \(source)) AS x
            GROUP BY x.chunk
            """
    }

    /// The tail of a statement whose changed rows are in the CTE `changed` and whose
    /// notices are in `notified`: returns the changed rows once every notice is sent.
    /// A CTE runs only if the query reads it, and the planner drops a join nothing reads
    /// from, so the notices are read in a condition (``sentFirst``).
    static let returningChanged = "SELECT changed.* FROM changed WHERE \(sentFirst)"

    /// A condition, always true, that makes PostgreSQL send the notices of `notified`.
    static let sentFirst = "(SELECT count(*) FROM notified) >= 0"

    /// Wraps `change` (a statement with `RETURNING` the task columns) so that it also
    /// sends the `kind` notices of the rows it changed, carrying `origin`; returns the
    /// changed rows as before.
    static func announce(_ change: PostgresQuery, kind: TaskEvent.Kind, origin: String) -> PostgresQuery {
        var query = PostgresQuery(unsafeSQL: "WITH changed AS (" + change.sql + "), ", binds: change.binds)
        query.binds.append(origin)
        query.sql += """
            notified AS (SELECT pg_notify('\(channel)', $\(query.binds.count)::text || \(PostgresTaskStore.notices(kind)))
            \(returningChanged)
            """
        return query
    }

    /// The events of one notice, or `nil` if it is another origin's (`skipping`) or not
    /// a notice this version understands.
    static func events(in payload: String, skipping ownOrigin: String, at now: Date) -> [TaskEvent]? {
        guard let space = payload.firstIndex(of: " ") else { return nil }
        let origin = payload[..<space]
        guard origin != ownOrigin,
            let entries = try? JSONSerialization.jsonObject(with: Data(payload[payload.index(after: space)...].utf8))
                as? [[Any]]
        else { return nil }
        return entries.flatMap { entry -> [TaskEvent] in
            guard entry.count == 7,
                let kind = (entry[0] as? String).flatMap(TaskEvent.Kind.init(rawValue:)),
                let id = (entry[1] as? String).flatMap(UUID.init(uuidString:)),
                let type = entry[2] as? String,
                let status = (entry[6] as? String).flatMap(TaskStatus.init(rawValue:))
            else { return [] }
            let event = TaskEvent(
                kind: kind, taskID: id, taskType: type, userID: (entry[3] as? String).flatMap(UUID.init(uuidString:)),
                status: status, attempt: (entry[4] as? NSNumber)?.intValue, workerID: entry[5] as? String,
                publishedAt: now, details: nil, isLocal: false)
            // A rescue that ends the task is a failure (or a cancellation) too, as where
            // it happened.
            guard kind == .rescued, status == .failed || status == .cancelled else { return [event] }
            var ended = event
            ended.kind = status == .failed ? .failed : .cancelled
            return [event, ended]
        }
    }
}
