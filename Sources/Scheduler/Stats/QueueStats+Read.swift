import Foundation

extension QueueStats {
    /// Reads the report from `store` as of `now`, with the deployment's `limits`.
    public static func read(from store: any TaskStore, limits: TaskLimits = .none, now: Date) async throws -> QueueStats {
        let queue = try await store.queue(now: now)
        let ended = try await store.endedCounts()
        let attempts = try await store.attemptSummary(now: now, limit: attemptLimit)
        let paused = try await store.pausedTaskTypes()
        return QueueStats(queue: queue, ended: ended, attempts: attempts, paused: paused, limits: limits, now: now)
    }
}
