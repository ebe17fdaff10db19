import ArgumentParser
import Logging
import MCP
import Scheduler
import SchedulerMCP

/// `agent-scheduler mcp`: the MCP tools over stdin and stdout, for an agent (Claude
/// Desktop, an IDE, an agent framework) that launches this command itself.
///
/// It schedules into and reads from the configured database; a `serve` process on the
/// same database runs the tasks. Logs go to stderr: stdout carries only the protocol.
struct AgentToolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Offer the scheduling tools to an MCP client over stdin/stdout (a `serve` on the same database runs the tasks).")

    @OptionGroup var settings: DatabaseOptions

    func run() async throws {
        let runtime = try Runtime(settings)
        try await runtime.withStore { store, registry in
            let tools = AgentTools(store: store, registry: registry, configuration: runtime.configuration, logger: runtime.logger)
            let server = try await AgentToolServer.start(tools, on: StdioTransport(logger: runtime.logger))
            runtime.logger.info("MCP tools ready on stdin/stdout", metadata: ["database": "\(store.location)"])
            await server.waitUntilCompleted()
        }
    }
}
