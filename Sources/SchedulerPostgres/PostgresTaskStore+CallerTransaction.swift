import Foundation
import Logging
import PostgresNIO
import Scheduler

extension PostgresTaskStore {
    /// Enqueues `task` on the caller's own PostgresNIO connection, inside whatever
    /// transaction it has open: the task exists if and only if that transaction commits,
    /// and the NOTIFYs that wake the engines and announce `task.created` fire on that
    /// commit. Validate the task
    /// first, e.g. by building it with ``NewTask/init(_:context:userID:scheduledFor:priority:maxRetries:idempotencyKey:agentType:createdBy:)``.
    public static func enqueue(
        _ task: NewTask, on connection: PostgresConnection, now: Date = Date(), logger: Logger
    ) async throws -> EnqueueResult {
        try await PostgresTaskInsert.insert(
            task, now: now, origin: PostgresTaskInsert.callerOrigin, on: connection, logger: logger)
    }
}
