import Foundation
import Scheduler

/// Whether any engine or remote worker has been seen lately for a task type, so that an
/// agent scheduling or waiting for a task is told when nothing will run it, instead of
/// waiting for ever.
struct EngineCoverage {
    let store: any TaskStore

    /// A note for the agent when no engine or worker of `taskType` has been seen within
    /// ``WorkerStatus/goneAfter`` at `now`; `nil` when one has.
    func note(for taskType: String, now: Date) async throws -> String? {
        let present = try await store.workers().contains { !$0.isGone(at: now) && $0.taskTypes.contains(taskType) }
        guard !present else { return nil }
        return "no engine is running \(taskType) tasks (none seen in the last \(Int(WorkerStatus.goneAfter)) s): "
            + "the task waits until one starts"
    }
}
