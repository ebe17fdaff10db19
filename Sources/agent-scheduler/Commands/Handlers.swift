import ArgumentParser
import Scheduler

/// `agent-scheduler handlers`: lists the task types this build can run, then the remote
/// ones the configuration declares, marked `(remote)`.
struct Handlers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the registered task types.")

    @OptionGroup var settings: DatabaseOptions

    func run() async throws {
        let runtime = try Runtime(settings)
        let registry = try await runtime.withStore(migrating: false) { _, registry in registry }
        for type in registry.taskTypes { print(type) }
        for type in registry.remoteTaskTypes { print("\(type) (remote)") }
    }
}
