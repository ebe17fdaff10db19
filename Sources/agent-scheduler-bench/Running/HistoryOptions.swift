import ArgumentParser

/// The options of the commands that measure reads over a history of finished tasks
/// (`stats`, `dashboard`): where, how long a history, how busy its last hour, how often.
struct HistoryOptions: ParsableArguments {
    @Option(help: "postgres://… of a scratch database, or a SQLite path (default: a new temporary SQLite file).")
    var databaseURL: String?

    @Option(help: "Finished tasks in the history, each with its action-log row.")
    var history = 1_000_000

    @Option(help: "How many of them finished in the last hour.")
    var recent = 1_000

    @Option(help: "How many times to time each read.")
    var repeats = 20

    @Flag(help: "Empty agent_tasks and agent_actions_log first (required when they hold rows).")
    var reset = false
}
