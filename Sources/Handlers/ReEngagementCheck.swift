import Foundation
import Scheduler

/// `re_engagement_check`: nudges a user who went quiet during onboarding, at most twice,
/// then pauses the conversation.
///
/// It does nothing when the user is verified or has written since the check was
/// scheduled. Otherwise, on attempts 1 and 2 it leaves a system message for the agent
/// (with the attempt count and onboarding context) and schedules the next check as a new
/// task whose context carries the next attempt number; on attempt 3 it pauses the
/// conversation instead.
public struct ReEngagementCheck: TaskHandler {
    public struct Context: Codable, Sendable {
        /// Which check this is, 1 for the first; absent means 1.
        public var attemptCount: Int?
        /// Where the user is in onboarding, passed on to the agent.
        public var onboardingContext: String?
        /// Hours until the next check; absent means 24.
        public var checkIntervalHours: Double?

        public init(attemptCount: Int? = nil, onboardingContext: String? = nil, checkIntervalHours: Double? = nil) {
            self.attemptCount = attemptCount
            self.onboardingContext = onboardingContext
            self.checkIntervalHours = checkIntervalHours
        }

        enum CodingKeys: String, CodingKey {
            case attemptCount = "attempt_count"
            case onboardingContext = "onboarding_context"
            case checkIntervalHours = "check_interval_hours"
        }
    }

    public struct Result: Encodable, Sendable {
        /// `nudged`, `paused` or `skipped`.
        public var action: String
        public var reason: String?
        public var attempt: Int?
        public var messageID: String?
        public var nextCheckTaskID: String?

        enum CodingKeys: String, CodingKey {
            case action, reason, attempt
            case messageID = "message_id"
            case nextCheckTaskID = "next_check_task_id"
        }

        static func skipped(_ reason: String) -> Result {
            Result(action: "skipped", reason: reason)
        }
    }

    public static let taskType = "re_engagement_check"

    public static let taskDescription =
        "Checks whether a user who went quiet during onboarding has answered; if not, nudges them (at most twice, scheduling the next check) and then pauses the conversation."

    public static let contextSchema = ContextSchema.object([
        .integer("attempt_count", "Which check this is: 1 for the first (default 1).", minimum: 1),
        .string("onboarding_context", "Where the user is in onboarding, passed on to the agent writing the nudge."),
        .number("check_interval_hours", "Hours until the next check (default 24, at most 8760).", above: 0, atMost: 8760),
    ])

    /// Refuses at enqueue the attempt numbers and intervals a run would refuse.
    public static func validate(_ context: Context) throws {
        _ = try checked(context)
    }

    /// The attempt number and interval, defaults applied; throws for either out of range.
    private static func checked(_ context: Context) throws -> (attempt: Int, hours: Double) {
        let attempt = context.attemptCount ?? 1
        guard attempt >= 1 else { throw HandlerError.permanent("context field 'attempt_count' must be 1 or more") }
        let hours = context.checkIntervalHours ?? 24
        guard hours > 0, hours <= 24 * 365 else {
            throw HandlerError.permanent("context field 'check_interval_hours' must be between 0 and 8760")
        }
        return (attempt, hours)
    }

    public static let requiresUser = true
    /// Nudges sent before the conversation is paused.
    public static let maximumNudges = 2

    let domain: any DomainStore

    public init(domain: any DomainStore) {
        self.domain = domain
    }

    public func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        let (attempt, hours) = try Self.checked(context)
        let task = invocation.task
        let user = try await domain.readableUser(id: try invocation.requireUser())
        if user.verified { return .skipped("user is verified") }
        if try await domain.lastInboundMessage(userID: user.id, since: task.createdAt) != nil {
            return .skipped("user replied since the check was scheduled")
        }
        guard let conversation = try await domain.activeConversation(userID: user.id) else {
            return .skipped("no active conversation")
        }
        let now = invocation.startedAt
        guard attempt <= Self.maximumNudges else {
            try await domain.pauseConversation(id: conversation.id, now: now)
            return Result(action: "paused", reason: "no reply after \(Self.maximumNudges) nudges", attempt: attempt)
        }

        let onboarding = context.onboardingContext ?? "none given"
        let note = NewMessage(
            conversationID: conversation.id,
            userID: user.id,
            role: .system,
            content: """
                Re-engagement check \(attempt) of \(Self.maximumNudges): \(user.firstName ?? "the user") has not replied \
                since \(Timestamp.string(from: task.createdAt)). Onboarding context: \(onboarding). \
                Send a short, friendly nudge.
                """,
            direction: .inbound,
            idempotencyKey: invocation.idempotencyKey("message")
        )
        let messageID = try await domain.insertMessage(note, now: now)

        var next = context
        next.attemptCount = attempt + 1
        let followUp = NewTask(
            taskType: Self.taskType,
            agentType: task.agentType,
            userID: user.id,
            contextID: conversation.id,
            contextType: "conversation",
            scheduledFor: now.addingTimeInterval(hours * 3600),
            priority: task.priority,
            maxRetries: task.maxRetries,
            contextJSON: try JSONText.encode(next),
            createdBy: Self.taskType,
            idempotencyKey: "\(Self.taskType):\(task.id.lowercasedString):\(attempt + 1)"
        )
        let scheduled = try await domain.scheduleTask(followUp, now: now)
        return Result(
            action: "nudged", reason: nil, attempt: attempt, messageID: messageID.lowercasedString, nextCheckTaskID: scheduled.task.id.lowercasedString)
    }
}
