import Foundation

/// Errors the scheduler reports to its callers (CLI, HTTP, library users).
///
/// Each case has a stable `code` for machines and a `description` a person can act on;
/// neither contains SQL, credentials or context data.
public enum SchedulerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No task has this id.
    case taskNotFound(UUID)
    /// The task exists but is in a state that does not allow the action.
    case invalidTransition(id: UUID, status: TaskStatus, action: String)
    /// No handler is registered for this task type.
    case unknownTaskType(String)
    /// The context does not decode into the handler's context type.
    case invalidContext(taskType: String, reason: String)
    /// A value given to the store is out of range or malformed.
    case invalidInput(field: String, reason: String)
    /// A remote worker's call names an attempt whose lease it no longer holds.
    case leaseNotHeld(id: UUID, reason: String)
    /// A remote worker's result came after cancellation was requested: the task ended
    /// `cancelled` and the result was not stored.
    case resultRefused(id: UUID, reason: String)
    /// An action names a task type this deployment neither runs nor declares.
    case taskTypeNotFound(String)
    /// No schedule has this name.
    case scheduleNotFound(String)

    /// A task of a type that is about a user came without a `user_id`.
    static func userRequired(taskType: String) -> SchedulerError {
        .invalidInput(field: "user_id", reason: "is required: a '\(taskType)' task is about a user")
    }

    /// A stable, machine-readable code.
    public var code: String {
        switch self {
        case .taskNotFound: "task_not_found"
        case .invalidTransition: "invalid_transition"
        case .unknownTaskType: "unknown_task_type"
        case .invalidContext: "invalid_context"
        case .invalidInput: "invalid_input"
        case .leaseNotHeld: "lease_not_held"
        case .resultRefused: "task_cancelled"
        case .taskTypeNotFound: "task_type_not_found"
        case .scheduleNotFound: "schedule_not_found"
        }
    }

    public var description: String {
        switch self {
        case .taskNotFound(let id):
            "no task with id \(id.lowercasedString)"
        case .invalidTransition(let id, let status, let action):
            "cannot \(action) task \(id.lowercasedString): it is \(status.rawValue)"
        case .unknownTaskType(let type):
            "unknown task type '\(type)': no handler is registered for it and it is not declared remote (see `agent-scheduler handlers`, REMOTE_TASK_TYPES)"
        case .invalidContext(let type, let reason):
            "invalid context for '\(type)': \(reason)"
        case .invalidInput(let field, let reason):
            "invalid \(field): \(reason)"
        case .leaseNotHeld(let id, let reason):
            "the lease_token does not hold task \(id.lowercasedString): \(reason); nothing was changed"
        case .resultRefused(let id, let reason):
            "task \(id.lowercasedString) was cancelled: \(reason)"
        case .taskTypeNotFound(let type):
            "no task type '\(type)': it has no handler here and is not declared (see GET /task-types)"
        case .scheduleNotFound(let name):
            "no schedule named '\(name)' (see GET /schedules)"
        }
    }
}
