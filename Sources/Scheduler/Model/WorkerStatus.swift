import Foundation

/// A worker as `GET /workers` shows it: what it runs, when it was first and last seen,
/// how many tasks it holds now, and whether it still counts as present.
public struct WorkerStatus: Sendable, Hashable {
    public var workerID: String
    public var kind: WorkerSighting.Kind
    public var taskTypes: [String]
    public var startedAt: Date
    public var lastSeenAt: Date
    /// The tasks it holds the lease of now (`processing`, locked by it).
    public var inFlight: Int

    public init(
        workerID: String, kind: WorkerSighting.Kind, taskTypes: [String], startedAt: Date, lastSeenAt: Date,
        inFlight: Int
    ) {
        self.workerID = workerID
        self.kind = kind
        self.taskTypes = taskTypes
        self.startedAt = startedAt
        self.lastSeenAt = lastSeenAt
        self.inFlight = inFlight
    }

    /// The most workers `GET /workers` lists, most recently seen first.
    public static let listLimit = 500

    /// How long a worker may go unseen before it shows as gone: three of an engine's
    /// presence renewals, and longer than a remote worker's longest claim wait.
    public static let goneAfter: TimeInterval = 60

    /// Whether the worker has not been seen for ``goneAfter`` at `now`.
    public func isGone(at now: Date) -> Bool {
        now.timeIntervalSince(lastSeenAt) > Self.goneAfter
    }

    /// The stored JSON array of task types, read leniently: a row written by hand shows
    /// no types rather than failing the list.
    package static func taskTypes(json: String) -> [String] {
        guard case .array(let items)? = JSONValue(parsing: json) else { return [] }
        return items.compactMap { if case .string(let type) = $0 { type } else { nil } }
    }
}
