import ArgumentParser
import Foundation
import Scheduler

/// The `agent-scheduler` command: runs the scheduler and manages its tasks.
@main
struct AgentScheduler: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent-scheduler",
        abstract: "Runs scheduled tasks for AI agents from an agent_tasks table (SQLite or PostgreSQL).",
        version: SchedulerVersion.current,
        subcommands: [Serve.self, Migrate.self, Enqueue.self, Tasks.self, Stats.self, TaskTypes.self, Schedules.self, Prune.self, Handlers.self, AgentToolsCommand.self, LoadSQL.self, LoadTasks.self],
        defaultSubcommand: Serve.self
    )

    /// Refuses a mistyped subcommand with a suggestion before parsing: with `serve` as
    /// the default subcommand, `agent-scheduler task list` would otherwise be read as
    /// `serve task list` and answered with serve's usage.
    static func main() async {
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
