import Foundation
import Scheduler

/// A worker as `GET /workers` shows it, with `status` `active` or `gone` (not seen for
/// ``WorkerStatus/goneAfter`` seconds).
struct WorkerRepresentation: Encodable {
    let worker: WorkerStatus
    let now: Date

    init(_ worker: WorkerStatus, now: Date) {
        self.worker = worker
        self.now = now
    }

    enum CodingKeys: String, CodingKey {
        case kind, status
        case workerID = "worker_id"
        case taskTypes = "task_types"
        case startedAt = "started_at"
        case lastSeenAt = "last_seen_at"
        case inFlight = "in_flight"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(worker.workerID, forKey: .workerID)
        try container.encode(worker.kind, forKey: .kind)
        try container.encode(worker.isGone(at: now) ? "gone" : "active", forKey: .status)
        try container.encode(worker.taskTypes, forKey: .taskTypes)
        try container.encode(Timestamp.string(from: worker.startedAt), forKey: .startedAt)
        try container.encode(Timestamp.string(from: worker.lastSeenAt), forKey: .lastSeenAt)
        try container.encode(worker.inFlight, forKey: .inFlight)
    }
}
