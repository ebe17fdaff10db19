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

    public static let taskDescription =
        "Hands a user's request to the research workflow, which looks for a solution (a person, a service, an answer) and reports back in the user's conversation."

    public static let contextSchema = ContextSchema.object([
        .string("description", "What the user needs, in a sentence or two, as they asked for it.", required: true, nonBlank: true),
        .string("category", "The kind of help, e.g. legal, hiring, investment, technical."),
        .string("urgency", "How soon the user needs it, e.g. low, medium, high."),
        .uuid("conversation_id", "The conversation the request came from, so the answer lands there."),
    ])

    /// Refuses a blank description at enqueue, as the run would.
    public static func validate(_ context: Context) throws {
        _ = try context.description.nonBlank(field: "description")
    }

    public static let requiresUser = true

    let domain: any DomainStore

    public init(domain: any DomainStore) {
        self.domain = domain
    }

    public func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        let description = try context.description.nonBlank(field: "description")
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
