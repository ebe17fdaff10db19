import ArgumentParser
import Scheduler

/// `agent-scheduler handlers`: lists the task types this build can run.
struct Handlers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the registered task types.")

    @OptionGroup var settings: DatabaseOptions

    func run() async throws {
        let runtime = try Runtime(settings)
        let types = try await runtime.withStore(migrating: false) { _, registry in registry.taskTypes }
        for type in types { print(type) }
    }
}
