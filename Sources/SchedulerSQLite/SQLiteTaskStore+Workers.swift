import Foundation
import SQLiteNIO
import Scheduler

/// The workers table: each worker's latest sighting, and the list with tasks in flight.
extension SQLiteTaskStore {
    public func recordWorker(_ sighting: WorkerSighting) async throws {
        _ = try await query(
            """
            INSERT INTO agent_scheduler_workers (worker_id, kind, task_types, started_at, last_seen_at)
            VALUES (?1, ?2, ?3, ?4, ?4)
            ON CONFLICT (worker_id) DO UPDATE
            SET kind = excluded.kind, task_types = excluded.task_types, last_seen_at = excluded.last_seen_at
            """,
            [.text(sighting.workerID), .text(sighting.kind.rawValue), .text(sighting.taskTypesJSON),
             SQLiteValue.bind(sighting.seenAt)]
        )
    }

    public func workers() async throws -> [WorkerStatus] {
        try await query(
            """
            SELECT w.worker_id, w.kind, w.task_types, w.started_at, w.last_seen_at, coalesce(h.n, 0) AS in_flight
            FROM agent_scheduler_workers AS w
            LEFT JOIN (SELECT locked_by, count(*) AS n FROM agent_tasks WHERE status = 'processing' GROUP BY locked_by)
                AS h ON h.locked_by = w.worker_id
            ORDER BY w.last_seen_at DESC, w.worker_id
            LIMIT ?1
            """,
            [SQLiteValue.bind(WorkerStatus.listLimit)]
        ).map { row in
            let kind = try SQLiteValue.string(row, "kind")
            return WorkerStatus(
                workerID: try SQLiteValue.string(row, "worker_id"),
                kind: try WorkerSighting.Kind(rawValue: kind).orThrow(StoreDecodingError(column: "kind", value: kind)),
                taskTypes: WorkerStatus.taskTypes(json: try SQLiteValue.string(row, "task_types")),
                startedAt: try SQLiteValue.date(row, "started_at"),
                lastSeenAt: try SQLiteValue.date(row, "last_seen_at"),
                inFlight: try SQLiteValue.int(row, "in_flight"))
        }
    }
}
