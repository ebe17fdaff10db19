import Foundation

extension NewTask {
    /// A task for `handler`, from its typed context, checked as `POST /tasks` checks one:
    /// a user for a type that needs one, and the handler's own `validate`. Throws a
    /// ``SchedulerError`` naming the field otherwise.
    public init<Handler: TaskHandler>(
        _ handler: Handler.Type,
        context: Handler.Context,
        userID: UUID? = nil,
        scheduledFor: Date? = nil,
        priority: TaskPriority = .medium,
        maxRetries: Int = 3,
        idempotencyKey: String? = nil,
        agentType: String = "scheduler",
        createdBy: String? = nil
    ) throws(SchedulerError) {
        if Handler.requiresUser, userID == nil {
            throw .userRequired(taskType: Handler.taskType)
        }
        let json: String
        do {
            try Handler.validate(context)
            json = try ContextCoding.encode(context)
        } catch {
            throw .invalidContext(taskType: Handler.taskType, reason: "\(error)")
        }
        self.init(
            taskType: Handler.taskType, agentType: agentType, userID: userID, scheduledFor: scheduledFor,
            priority: priority, maxRetries: maxRetries, contextJSON: json, createdBy: createdBy,
            idempotencyKey: idempotencyKey)
    }
}
