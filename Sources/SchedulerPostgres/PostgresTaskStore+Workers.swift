import Foundation
import PostgresNIO
import Scheduler

/// The workers table: each worker's latest sighting, and the list with tasks in flight.
extension PostgresTaskStore {
    public func recordWorker(_ sighting: WorkerSighting) async throws {
        _ = try await client.query(
            """
            INSERT INTO agent_scheduler_workers (worker_id, kind, task_types, started_at, last_seen_at)
            VALUES (\(sighting.workerID), \(sighting.kind.rawValue), \(sighting.taskTypesJSON), \(sighting.seenAt),
                    \(sighting.seenAt))
            ON CONFLICT (worker_id) DO UPDATE
            SET kind = excluded.kind, task_types = excluded.task_types, last_seen_at = excluded.last_seen_at
            """,
            logger: logger
        ).collect()
    }

    public func workers() async throws -> [WorkerStatus] {
        let rows = try await client.query(
            """
            SELECT w.worker_id, w.kind, w.task_types, w.started_at, w.last_seen_at, coalesce(h.n, 0)::int8
            FROM agent_scheduler_workers AS w
            LEFT JOIN (SELECT locked_by, count(*) AS n FROM agent_tasks WHERE status = 'processing' GROUP BY locked_by)
                AS h ON h.locked_by = w.worker_id
            ORDER BY w.last_seen_at DESC, w.worker_id
            LIMIT \(WorkerStatus.listLimit)
            """,
            logger: logger
        )
        var workers: [WorkerStatus] = []
        for try await (id, kind, types, started, seen, inFlight) in rows.decode((String, String, String, Date, Date, Int).self) {
            workers.append(WorkerStatus(
                workerID: id,
                kind: try WorkerSighting.Kind(rawValue: kind).orThrow(StoreDecodingError(column: "kind", value: kind)),
                taskTypes: WorkerStatus.taskTypes(json: types), startedAt: started, lastSeenAt: seen, inFlight: inFlight))
        }
        return workers
    }
}
