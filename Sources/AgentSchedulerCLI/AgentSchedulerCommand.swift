import ArgumentParser
import Foundation
import Scheduler
import SchedulerRequests

/// The `agent-scheduler` command: runs the scheduler and manages its tasks.
///
/// A program becomes `agent-scheduler` with its own task types by calling
/// ``main(handlers:)`` from its `main`: every subcommand (`serve`, `migrate`, `enqueue`,
/// `tasks`, `handlers`, `agent-tools`, …) then runs that handler set.
public struct AgentSchedulerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "agent-scheduler",
        abstract: "Runs scheduled tasks for AI agents from an agent_tasks table (SQLite or PostgreSQL).",
        version: SchedulerVersion.current,
        subcommands: [Serve.self, Migrate.self, Enqueue.self, Tasks.self, Stats.self, TaskTypes.self, Schedules.self, Prune.self, Handlers.self, AgentToolsCommand.self, LoadSQL.self, LoadTasks.self],
        defaultSubcommand: Serve.self
    )

    /// Refuses a mistyped subcommand with a suggestion before parsing: with `serve` as
    /// the default subcommand, `agent-scheduler task list` would otherwise be read as
    /// `serve task list` and answered with serve's usage.
    public init() {}

    /// Runs the command line of this process with `handlers` registered, and exits.
    public static func main(handlers: HandlerSet) async {
        InstalledHandlers.install(handlers)
        let arguments = Array(CommandLine.arguments.dropFirst())
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        if let unknown = UnknownSubcommand(arguments: arguments, known: names) {
            FileHandle.standardError.write(Data("Error: \(unknown)\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        // The same for a group's subcommand (`tasks shwo`).
        if let group = configuration.subcommands.first(where: { $0._commandName == arguments.first }),
            !group.configuration.subcommands.isEmpty,
            let unknown = UnknownSubcommand(
                arguments: Array(arguments.dropFirst()), known: group.configuration.subcommands.map { $0._commandName },
                group: group._commandName)
        {
            FileHandle.standardError.write(Data("Error: \(unknown)\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        await main(arguments)
    }
}
