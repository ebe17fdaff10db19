import Foundation
import Scheduler

/// `research_solution`: hands a user's request to the research workflow by publishing a
/// `user.inquiry.solution_needed` event.
public struct ResearchSolution: TaskHandler {
    public struct Context: Codable, Sendable {
        /// What the user needs; required and not blank.
        public var description: String
        public var category: String?
        public var urgency: String?
        public var conversationID: UUID?

        public init(description: String, category: String? = nil, urgency: String? = nil, conversationID: UUID? = nil) {
            self.description = description
            self.category = category
            self.urgency = urgency
            self.conversationID = conversationID
        }

        enum CodingKeys: String, CodingKey {
            case description, category, urgency
            case conversationID = "conversation_id"
        }
    }

    public struct Result: Encodable, Sendable {
        public var eventID: String

        enum CodingKeys: String, CodingKey {
            case eventID = "event_id"
        }
    }

    /// The event type the research workflow listens for.
    public static let eventType = "user.inquiry.solution_needed"
    public static let taskType = "research_solution"

    public static let requiresUser = true

    let domain: any DomainStore

    public init(domain: any DomainStore) {
        self.domain = domain
    }

    public func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        let description = context.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty else { throw HandlerError.permanent("context field 'description' is empty") }
        let userID = try invocation.requireUser()
        let payload = Payload(
            userID: userID.lowercasedString,
            conversationID: context.conversationID?.lowercasedString,
            description: description,
            category: context.category,
            urgency: context.urgency,
            taskID: invocation.task.id.lowercasedString
        )
        let event = NewEvent(
            eventType: Self.eventType,
            aggregateID: userID,
            aggregateType: "user",
            payloadJSON: try JSONText.encode(payload),
            metadataJSON: try JSONText.encode(["agent_type": invocation.task.agentType]),
            idempotencyKey: invocation.idempotencyKey("event")
        )
        return Result(eventID: try await domain.publishEvent(event, now: invocation.startedAt).lowercasedString)
    }

    /// The event payload the research workflow reads.
    struct Payload: Encodable {
        var userID: String
        var conversationID: String?
        var description: String
        var category: String?
        var urgency: String?
        var taskID: String

        enum CodingKeys: String, CodingKey {
            case description, category, urgency
            case userID = "user_id"
            case conversationID = "conversation_id"
            case taskID = "task_id"
        }
    }
}
