/// A problem with how the scheduler was configured, found at start-up.
///
/// The message names the setting (environment variable or flag) and says what is
/// expected, so the operator can fix it without reading code.
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A setting has a value that cannot be used.
    case invalidValue(setting: String, value: String, expected: String)
    /// Two handlers claim the same task type.
    case duplicateHandler(String)
    /// A remote task type has the name of a handler compiled in.
    case remoteTypeCollision(String)
    /// A declaration names a task type that is neither remote nor compiled in.
    case undeclaredTaskType(String)
    /// The task-types file cannot be used.
    case taskTypesFile(path: String, problem: String)
    /// The schedules file cannot be used.
    case schedulesFile(path: String, problem: String)
    /// A limit names a task type that is neither compiled in nor declared.
    case unknownLimitedType(String)
    /// A handler's declared context schema uses what ``JSONSchema`` cannot check.
    case invalidContextSchema(taskType: String, problem: String)

    public var description: String {
        switch self {
        case .invalidValue(let setting, let value, let expected):
            "\(setting) has the invalid value '\(value)': expected \(expected)"
        case .duplicateHandler(let type):
            "two handlers are registered for task type '\(type)': each task type needs exactly one"
        case .remoteTypeCollision(let type):
            "task type '\(type)' is declared remote (REMOTE_TASK_TYPES or TASK_TYPES_FILE) but is a built-in handler: rename the remote type"
        case .undeclaredTaskType(let type):
            "TASK_TYPES_FILE declares task type '\(type)', which no handler here runs: mark it \"remote\": true if workers outside run it"
        case .taskTypesFile(let path, let problem):
            "TASK_TYPES_FILE (--task-types-file) \(path): \(problem)"
        case .schedulesFile(let path, let problem):
            "SCHEDULES_FILE (--schedules-file) \(path): \(problem)"
        case .unknownLimitedType(let type):
            "TASK_LIMITS (--task-limits) limits task type '\(type)', which no handler here runs and no declaration names"
        case .invalidContextSchema(let type, let problem):
            "the context schema of the handler for task type '\(type)' cannot be used: \(problem)"
        }
    }
}
