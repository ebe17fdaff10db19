import Foundation

/// A person the agents talk to: a row of `users`.
public struct User: Sendable, Hashable {
    public var id: UUID
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var verified: Bool

    public init(id: UUID, firstName: String? = nil, lastName: String? = nil, email: String? = nil, verified: Bool = false) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.verified = verified
    }
}
