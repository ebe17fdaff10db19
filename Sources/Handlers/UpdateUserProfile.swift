import Foundation
import Scheduler

/// `update_user_profile`: sets allow-listed fields of the task's user.
///
/// A field outside ``ProfileField`` fails the task permanently, naming the field, and
/// nothing is written; so does a user that does not exist.
public struct UpdateUserProfile: TaskHandler {
    public struct Context: Codable, Sendable {
        /// Field name → new value (a string, or null to clear it).
        public var fields: [String: JSONValue]

        public init(fields: [String: JSONValue]) {
            self.fields = fields
        }
    }

    public struct Result: Encodable, Sendable {
        public var updatedFields: [String]

        enum CodingKeys: String, CodingKey {
            case updatedFields = "updated_fields"
        }
    }

    public static let taskType = "update_user_profile"

    public static let taskDescription =
        "Sets fields of the user's profile (names, email, phone, company, title, LinkedIn, time zone); null clears one."

    public static let contextSchema = ContextSchema.object([
        .stringMap("fields", "The fields to change and their new values (a string, or null to clear it).",
            keys: ProfileField.allCases.map(\.rawValue), required: true)
    ])

    public static let requiresUser = true

    /// Refuses at enqueue what the run would refuse: an empty
    /// list, a field outside the allow-list, a value that is not a string or null.
    public static func validate(_ context: Context) throws {
        _ = try validate(context.fields)
    }

    let domain: any DomainStore

    public init(domain: any DomainStore) {
        self.domain = domain
    }

    public func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        let userID = try invocation.requireUser()
        let updates = try Self.validate(context.fields)
        guard try await domain.updateUser(id: userID, fields: updates, now: invocation.startedAt) else {
            throw HandlerError.permanent("user \(userID.lowercasedString) does not exist")
        }
        return Result(updatedFields: updates.keys.map(\.rawValue).sorted())
    }

    /// Checks every field against the allow-list and every value's type.
    static func validate(_ fields: [String: JSONValue]) throws -> [ProfileField: String?] {
        guard !fields.isEmpty else { throw HandlerError.permanent("context field 'fields' is empty") }
        var updates: [ProfileField: String?] = [:]
        var disallowed: [String] = []
        for (name, value) in fields {
            guard let field = ProfileField(rawValue: name) else {
                disallowed.append(name)
                continue
            }
            switch value {
            case .string(let text): updates[field] = .some(text)
            case .null: updates[field] = .some(nil)
            default: throw HandlerError.permanent("field '\(name)' must be a string or null")
            }
        }
        guard disallowed.isEmpty else {
            let allowed = ProfileField.allCases.map(\.rawValue).joined(separator: ", ")
            let names = disallowed.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw HandlerError.permanent(
                "field\(disallowed.count == 1 ? "" : "s") \(names) may not be updated (allowed: \(allowed))")
        }
        return updates
    }
}
