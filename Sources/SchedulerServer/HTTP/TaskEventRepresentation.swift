import Foundation
import Scheduler

/// A task event as the stream's `data:` line shows it: the task, its type, user and new
/// status, the attempt and worker, and what the change produced.
struct TaskEventRepresentation: Encodable {
    let event: TaskEvent

    enum CodingKeys: String, CodingKey {
        case id, type, status, attempt, at, result, error, progress
        case taskID = "task_id"
        case taskType = "task_type"
        case userID = "user_id"
        case workerID = "worker_id"
        case nextRunAt = "next_run_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(String(event.sequence), forKey: .id)
        try container.encode(event.kind.rawValue, forKey: .type)
        try container.encode(event.taskID.lowercasedString, forKey: .taskID)
        try container.encode(event.taskType, forKey: .taskType)
        try container.encodeIfPresent(event.userID?.lowercasedString, forKey: .userID)
        try container.encode(event.status, forKey: .status)
        try container.encodeIfPresent(event.attempt, forKey: .attempt)
        try container.encodeIfPresent(event.workerID, forKey: .workerID)
        try container.encode(Timestamp.string(from: event.publishedAt), forKey: .at)
        guard let details = event.details else { return }
        if event.kind == .completed {
            try container.encodeIfPresent(details.resultJSON.map { JSONValue(parsing: $0) ?? .string($0) }, forKey: .result)
        }
        if event.kind != .completed { try container.encodeIfPresent(details.error, forKey: .error) }
        try container.encodeIfPresent(details.nextRunAt.map(Timestamp.string(from:)), forKey: .nextRunAt)
        if event.kind == .progress { try container.encodeIfPresent(details.progress, forKey: .progress) }
    }
}
