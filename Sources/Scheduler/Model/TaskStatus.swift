/// The lifecycle state of an `agent_tasks` row.
///
/// The database enforces the same set with a CHECK constraint, so a row can never be
/// in a state this enum does not name.
public enum TaskStatus: String, Sendable, Codable, CaseIterable {
    case pending
    case processing
    case completed
    case failed
    case cancelled

    /// Whether the task has reached an end state and will not run again on its own.
    public var isFinal: Bool {
        switch self {
        case .completed, .failed, .cancelled: true
        case .pending, .processing: false
        }
    }
}
