import Foundation

/// A worker seen at work: an in-process engine renewing its presence, or a remote worker
/// claiming or sending a heartbeat. The store keeps the latest sighting of each worker.
public struct WorkerSighting: Sendable, Hashable {
    /// Where a worker runs.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// An engine inside an `agent-scheduler` process.
        case engine
        /// A process of its own that claims tasks over the worker API.
        case remote
    }

    public var workerID: String
    public var kind: Kind
    /// The task types it runs (an engine) or last asked for (a remote worker).
    public var taskTypes: [String]
    public var seenAt: Date

    public init(workerID: String, kind: Kind, taskTypes: [String], seenAt: Date) {
        self.workerID = workerID
        self.kind = kind
        self.taskTypes = taskTypes
        self.seenAt = seenAt
    }

    /// The task types as stored: a JSON array.
    package var taskTypesJSON: String {
        (try? JSONText.encode(taskTypes)) ?? "[]"
    }
}
