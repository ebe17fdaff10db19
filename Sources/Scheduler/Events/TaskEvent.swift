import Foundation

/// One committed change of a task's state: what `GET /events` streams, what
/// `GET /tasks/{id}?wait=` waits for, and what the metrics count.
///
/// The fields every client filters on (task, type, user, kind) are always present. The
/// details (result, error, next run, progress) come with the events this process made;
/// for those heard from another instance they are read back when a client needs them
/// (``TaskEventDetails``).
public struct TaskEvent: Sendable, Hashable {
    /// Which transition; the raw value is the event's name on the stream.
    public enum Kind: String, Sendable, CaseIterable, Hashable {
        case created = "task.created"
        case started = "task.started"
        case progress = "task.progress"
        case retryScheduled = "task.retry_scheduled"
        case completed = "task.completed"
        case failed = "task.failed"
        case cancelled = "task.cancelled"
        /// Someone asked to cancel the running task: its worker is told to stop, and a
        /// `task.cancelled` follows when the attempt ends.
        case cancelRequested = "task.cancel_requested"
        /// A lease ran out: the worker stopped renewing it, and the task was given another
        /// attempt or, at its retry limit, failed (a `task.failed` follows then).
        case rescued = "task.rescued"
        /// A failed or cancelled task was made pending again by hand.
        case retried = "task.retried"
        /// A running task was put back to `pending` uncharged, as at shutdown.
        case released = "task.released"
    }

    /// Assigned when published: one more than the previous event of this process.
    public internal(set) var sequence: UInt64 = 0
    public var kind: Kind
    public var taskID: UUID
    public var taskType: String
    public var userID: UUID?
    /// The task's status once the change committed.
    public var status: TaskStatus
    /// The attempt the event belongs to (1 for the first run), where there is one.
    public var attempt: Int?
    /// The worker that claimed or ran the attempt.
    public var workerID: String?
    /// When this process published the event.
    public var publishedAt: Date
    /// What changed beyond the status; `nil` when heard from another instance and not
    /// read back yet.
    public var details: TaskEventDetails?
    /// Whether this process made the change (and counts it in its metrics) or heard of it
    /// from another instance.
    public var isLocal: Bool

    public init(
        kind: Kind, taskID: UUID, taskType: String, userID: UUID?, status: TaskStatus, attempt: Int?,
        workerID: String?, publishedAt: Date = Date(), details: TaskEventDetails?, isLocal: Bool = true
    ) {
        self.kind = kind
        self.taskID = taskID
        self.taskType = taskType
        self.userID = userID
        self.status = status
        self.attempt = attempt
        self.workerID = workerID
        self.publishedAt = publishedAt
        self.details = details
        self.isLocal = isLocal
    }

    /// Whether the task ended with this event: completed, failed or cancelled.
    public var isFinal: Bool { status.isFinal }

    /// Whether a client shown this event wants its details read back when it was heard
    /// from another instance.
    package var lacksDetails: Bool { details == nil && kind.hasDetails }
}

extension TaskEvent.Kind {
    /// Whether events of this kind have details (a result, an error, a next run time or
    /// progress) beyond what every event carries.
    var hasDetails: Bool {
        switch self {
        case .completed, .failed, .retryScheduled, .rescued, .progress, .retried: true
        case .created, .started, .cancelled, .cancelRequested, .released: false
        }
    }
}
