import Foundation
import Scheduler

/// `schedule_followup`: writes a pending outbound message in the user's active
/// conversation, addressed by first name and naming the reason for the follow-up.
public struct ScheduleFollowup: TaskHandler {
    public struct Context: Codable, Sendable {
        /// Why the agent follows up ("the intro to Dana"); required and not blank.
        public var reason: String
        /// Extra text appended to the message.
        public var message: String?

        public init(reason: String, message: String? = nil) {
            self.reason = reason
            self.message = message
        }
    }

    public struct Result: Encodable, Sendable {
        /// The inserted message, unless the follow-up was skipped.
        public var messageID: String?
        /// Why nothing was sent, when skipped.
        public var skipped: String?

        enum CodingKeys: String, CodingKey {
            case skipped
            case messageID = "message_id"
        }
    }

    public static let taskType = "schedule_followup"

    public static let taskDescription =
        "Writes a follow-up message to the user in their active conversation (\"Hi <first name>, following up about <reason>.\"); skipped when they have none."

    public static let contextSchema = ContextSchema.object([
        .string("reason", "What the follow-up is about, completing \"following up about …\", e.g. \"the intro to Dana\".",
            required: true, nonBlank: true),
        .string("message", "Extra text appended to the message."),
    ])

    /// Refuses a blank reason at enqueue, as the run would.
    public static func validate(_ context: Context) throws {
        _ = try context.reason.nonBlank(field: "reason")
    }

    public static let requiresUser = true

    let domain: any DomainStore

    public init(domain: any DomainStore) {
        self.domain = domain
    }

    public func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        let reason = try context.reason.nonBlank(field: "reason")
        let user = try await domain.readableUser(id: try invocation.requireUser())
        guard let conversation = try await domain.activeConversation(userID: user.id) else {
            return Result(messageID: nil, skipped: "no active conversation")
        }
        var content = "Hi \(user.firstName ?? "there"), following up about \(reason)."
        if let extra = context.message?.trimmingCharacters(in: .whitespacesAndNewlines), !extra.isEmpty {
            content += " " + extra
        }
        let message = NewMessage(
            conversationID: conversation.id, userID: user.id, role: .agent, content: content, direction: .outbound,
            idempotencyKey: invocation.idempotencyKey("message"))
        return Result(messageID: try await domain.insertMessage(message, now: invocation.startedAt).lowercasedString, skipped: nil)
    }
}
