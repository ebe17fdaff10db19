import Foundation

/// An action-log row as the CLI and HTTP API show it.
struct ActionLogRepresentation: Encodable {
    let entry: ActionLogEntry

    enum CodingKeys: String, CodingKey {
        case id, attempt, error, input, output
        case actionType = "action_type"
        case workerID = "worker_id"
        case latencyMs = "latency_ms"
        case startedAt = "started_at"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entry.id, forKey: .id)
        try container.encode(entry.actionType, forKey: .actionType)
        try container.encodeIfPresent(entry.attempt, forKey: .attempt)
        try container.encodeIfPresent(entry.workerID, forKey: .workerID)
        try container.encodeIfPresent(entry.latencyMs, forKey: .latencyMs)
        try container.encodeIfPresent(entry.startedAt.map(Timestamp.string(from:)), forKey: .startedAt)
        try container.encode(Timestamp.string(from: entry.createdAt), forKey: .createdAt)
        try container.encodeIfPresent(entry.inputData.map { JSONValue(parsing: $0) ?? .string($0) }, forKey: .input)
        try container.encodeIfPresent(entry.outputData.map { JSONValue(parsing: $0) ?? .string($0) }, forKey: .output)
        try container.encodeIfPresent(entry.error, forKey: .error)
    }
}
