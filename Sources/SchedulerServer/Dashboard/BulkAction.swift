import Foundation
import Scheduler
import SchedulerRequests

/// What the dashboard does to every task of a type in one state: retry the failed ones,
/// or cancel the pending ones. Each task goes through the store's own `retry` or
/// `cancel`, so each is checked, logged and announced as a single one would be; a task
/// whose state changed meanwhile is skipped.
enum BulkAction: String, CaseIterable, Sendable {
    case retryFailed = "retry-failed"
    case cancelPending = "cancel-pending"

    /// The state of the tasks it acts on.
    var status: TaskStatus {
        switch self {
        case .retryFailed: .failed
        case .cancelPending: .pending
        }
    }

    /// The question the confirmation asks, for `count` tasks of `taskType`.
    func question(_ count: Int, of taskType: String) -> String {
        switch self {
        case .retryFailed: "Retry all \(count) failed \(taskType) tasks? They become pending, due now."
        case .cancelPending: "Cancel all \(count) pending \(taskType) tasks? They will not run."
        }
    }

    /// The action a form or query names; refused (400) when it names none, whoever asks,
    /// since the names are no secret.
    static func named(_ name: String?) throws -> BulkAction {
        guard let action = name.flatMap(BulkAction.init(rawValue:)) else {
            throw APIError.invalidQuery("action", "must be one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return action
    }

    /// The task type a form or query names, checked for its shape only (400 when absent
    /// or not a type's name, whoever asks); whether this deployment knows it is checked
    /// once the session is, so that nobody without one learns which types exist.
    static func typeName(_ name: String?) throws -> String {
        guard let name, TaskTypeDeclaration.isValidName(name) else {
            throw APIError.invalidQuery("task_type", "is required: a task type's name")
        }
        return name
    }

    /// How many tasks it changes at most in one request; the rest wait for another.
    static let limit = 10_000

    /// Applies the action to the type's tasks in its state, a page at a time; returns how
    /// many changed.
    func apply(to taskType: String, store: any TaskStore, now: Date) async throws -> Int {
        var changed = 0
        while changed < Self.limit {
            let page = try await store.tasks(matching: TaskFilter(status: status, taskType: taskType, limit: 200))
            var progressed = false
            for task in page where changed < Self.limit {
                do {
                    switch self {
                    case .retryFailed: _ = try await store.retry(id: task.id, now: now)
                    case .cancelPending: _ = try await store.cancel(id: task.id, now: now)
                    }
                    changed += 1
                    progressed = true
                } catch is SchedulerError {
                    continue
                }
            }
            if page.count < 200 || !progressed { break }
        }
        return changed
    }
}
