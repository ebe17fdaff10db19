import Foundation

/// What a deployment says about a task type beyond the handlers compiled in: that it
/// runs on remote workers (``remote``), the JSON Schema its context must meet, its
/// default `max_retries`, how long a remote worker's claim holds it, and its limits.
///
/// Declared by `REMOTE_TASK_TYPES` (names only) and the task-types file
/// (`TASK_TYPES_FILE`, ``TaskTypeFile``).
public struct TaskTypeDeclaration: Sendable, Hashable {
    public var name: String
    /// Whether workers outside this process run it (`POST /workers/claim`); in-process
    /// engines never claim it.
    public var remote: Bool
    public var description: String?
    /// The schema a context must meet at enqueue time (remote types only: a built-in
    /// handler's context type already checks its own).
    public var contextSchema: JSONSchema?
    /// The `max_retries` of a task enqueued without one.
    public var maxRetries: Int?
    /// How long a remote worker's claim holds a task of this type when the claim does not
    /// say.
    public var lease: Duration?
    /// How many may run at once and start per period, across every instance.
    public var limit: TaskLimit?

    public init(
        name: String, remote: Bool, description: String? = nil, contextSchema: JSONSchema? = nil,
        maxRetries: Int? = nil, lease: Duration? = nil, limit: TaskLimit? = nil
    ) {
        self.name = name
        self.remote = remote
        self.description = description
        self.contextSchema = contextSchema
        self.maxRetries = maxRetries
        self.lease = lease
        self.limit = limit
    }

    /// Whether `name` can be a task type: 1-100 letters, digits, `_`, `-` or `.`.
    public static func isValidName(_ name: String) -> Bool {
        TaskTypeName.isValid(name)
    }
}
