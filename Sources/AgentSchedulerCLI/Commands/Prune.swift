import ArgumentParser
import Foundation
import Scheduler

/// `agent-scheduler prune`: one retention round now, as every serving instance runs
/// every five minutes.
struct Prune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete finished tasks, action-log rows and settled webhook deliveries past their retention.",
        discussion: "Pending and processing tasks are never touched. Ages: --retention-completed, --retention-failed, --retention-log.")

    @Flag(name: .customLong("dry-run"), help: "Count what would be deleted; delete nothing.") var dryRun = false
    @OptionGroup var settings: RetentionOptions

    func run() async throws {
        let runtime = try Runtime(settings)
        let report = try await runtime.withStore { store, _ in
            try await Pruner(store: store, policy: runtime.configuration.retention, logger: runtime.logger).prune(dryRun: dryRun)
        }
        try Output.json(report)
    }
}
