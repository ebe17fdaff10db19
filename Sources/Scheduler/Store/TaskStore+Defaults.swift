import Foundation

extension TaskStore {
    /// A store that wraps none is its own underlying store.
    public var underlyingStore: any TaskStore { self }

    /// Applies the engine's migrations only.
    @discardableResult
    public func migrate() async throws -> [AppliedMigration] {
        try await migrate(modules: [])
    }

    /// Runs a SQL script (see ``SQLScript``) in one transaction.
    public func run(script text: String) async throws {
        try await run(statements: SQLScript.statements(in: text))
    }

    /// The task a cancel found already asked to stop (cancelling twice is no error), or
    /// why the cancel did not apply.
    package func cancelAlreadyRequested(id: UUID) async throws -> AgentTask {
        if let task = try await task(id: id), task.status == .processing, task.cancelRequestedAt != nil { return task }
        throw try await transitionError(id: id, action: "cancel")
    }

    /// Why a cancel or retry of `id` did not apply: the task is missing, or its status
    /// does not allow `action`.
    package func transitionError(id: UUID, action: String) async throws -> SchedulerError {
        guard let task = try await task(id: id) else { return .taskNotFound(id) }
        return .invalidTransition(id: id, status: task.status, action: action)
    }
}
