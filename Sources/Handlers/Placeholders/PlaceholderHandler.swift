import Scheduler

/// A task type of seed 001 that other services already enqueue but nobody has built
/// yet. It is registered so such tasks are not left unroutable, and fails each one
/// permanently with "handler not implemented", leaving an action-log row behind.
public struct PlaceholderHandler<Name: PlaceholderTaskType>: TaskHandler {
    /// Any JSON object; it is not read.
    public struct Context: Codable, Sendable {}

    /// Never produced: the handler always fails.
    public struct Result: Encodable, Sendable {}

    public static var taskType: String { Name.taskType }

    public init() {}

    public func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        throw HandlerError.permanent("handler not implemented for task type '\(Name.taskType)'")
    }
}

/// Names one placeholder task type.
public protocol PlaceholderTaskType: Sendable {
    static var taskType: String { get }
}

/// The placeholder task types of seed 001.
public enum PlaceholderTaskTypes {
    public enum ProcessCommunityRequest: PlaceholderTaskType { public static let taskType = "process_community_request" }
    public enum NotifyUserOfPriorities: PlaceholderTaskType { public static let taskType = "notify_user_of_priorities" }
    public enum SolutionWorkflowTimeout: PlaceholderTaskType { public static let taskType = "solution_workflow_timeout" }
    public enum CreateConversationSummary: PlaceholderTaskType {
        public static let taskType = "create_conversation_summary"
    }
    public enum IntroFollowupCheck: PlaceholderTaskType { public static let taskType = "intro_followup_check" }
    public enum CommunityRequestAvailable: PlaceholderTaskType {
        public static let taskType = "community_request_available"
    }
    public enum SendIntroduction: PlaceholderTaskType { public static let taskType = "send_introduction" }
    public enum VerifyUser: PlaceholderTaskType { public static let taskType = "verify_user" }

    /// One handler for each placeholder type.
    public static let handlers: [any TaskHandler] = [
        PlaceholderHandler<ProcessCommunityRequest>(),
        PlaceholderHandler<NotifyUserOfPriorities>(),
        PlaceholderHandler<SolutionWorkflowTimeout>(),
        PlaceholderHandler<CreateConversationSummary>(),
        PlaceholderHandler<IntroFollowupCheck>(),
        PlaceholderHandler<CommunityRequestAvailable>(),
        PlaceholderHandler<SendIntroduction>(),
        PlaceholderHandler<VerifyUser>(),
    ]
}
