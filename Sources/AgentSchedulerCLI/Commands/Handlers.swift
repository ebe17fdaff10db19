import ArgumentParser
import Scheduler

/// `agent-scheduler handlers`: lists the task types this build can run, then the remote
/// ones the configuration declares, marked `(remote)`; with `--json`, every type's
/// description, context schema, defaults and state, as `GET /task-types` answers.
struct Handlers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the registered task types.")

    @Flag(help: "Print each type's description, context schema, defaults and state as JSON (as GET /task-types).")
    var json = false

    @OptionGroup var settings: DatabaseOptions

    func run() async throws {
        let runtime = try Runtime(settings)
        if json {
            let states = try await runtime.withStore(.read) { store, registry in
                try await TaskTypeControl(store: store, registry: registry, configuration: runtime.configuration).list()
            }
            return try Output.json(["task_types": states])
        }
        let registry = try await runtime.withStore(.read) { _, registry in registry }
        for type in registry.taskTypes { print(type) }
        for type in registry.remoteTaskTypes { print("\(type) (remote)") }
    }
}
