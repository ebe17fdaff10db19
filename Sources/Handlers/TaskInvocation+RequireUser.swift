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
