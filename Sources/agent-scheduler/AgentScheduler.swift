import ArgumentParser

/// The `agent-scheduler` command: runs the scheduler and manages its tasks.
@main
struct AgentScheduler: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent-scheduler",
        abstract: "Runs scheduled tasks for AI agents from an agent_tasks table (SQLite or PostgreSQL).",
        subcommands: [Serve.self, Migrate.self, Enqueue.self, Tasks.self, Handlers.self, LoadSQL.self],
        defaultSubcommand: Serve.self
    )
}
