import Foundation
import Scheduler

extension TaskInvocation {
    /// The task's `user_id`; a task about nobody cannot be handled by a user-facing handler,
    /// and no retry will change that.
    func requireUser() throws -> UUID {
        guard let userID = task.userID else { throw HandlerError.permanent("the task has no user_id") }
        return userID
    }
}

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
