import Foundation
import Scheduler

extension DomainStore {
    /// The user, or a retryable failure when the row cannot be read (it may not have
    /// reached this database yet).
    func readableUser(id: UUID) async throws -> User {
        guard let user = try await user(id: id) else {
            throw HandlerError.retryable("user \(id.lowercasedString) could not be read")
        }
        return user
    }
}
