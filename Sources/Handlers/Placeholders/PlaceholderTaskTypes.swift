import Scheduler

/// The placeholder task types of the task processor this project replaces.
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
