import ArgumentParser

/// The `agent-scheduler-bench` command: the benchmark, kept out of the production binary.
@main
struct AgentSchedulerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent-scheduler-bench",
        abstract: "Measure agent-scheduler's engine with the noop handler (W1-W4, see BENCHMARKS.md).",
        subcommands: [Bench.self, StatsBench.self, DashboardBench.self, BacklogBench.self, PruneBench.self, BenchWorker.self],
        defaultSubcommand: Bench.self
    )
}
