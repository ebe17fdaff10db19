import Foundation
import MCP
import Scheduler
import SchedulerRequests
import Synchronization

/// Starts an MCP server (the official Swift SDK's) that offers ``AgentTools`` on a
/// transport: one per `agent-scheduler mcp` process, one per `/mcp` session.
public enum AgentToolServer {
    /// What the server tells the agent about itself at initialisation.
    static let instructions = """
        agent-scheduler runs tasks later, durably: schedule one with an enqueue_<task_type> tool \
        (its context shaped as the tool's schema says, run_at such as 'in 3 days'), then follow it \
        with get_task or wait_for_task. Failed attempts are retried with backoff; cancel_task and \
        retry_task act on a task; queue_stats shows the queue.
        """

    /// A server with the tools registered, started on `transport`.
    public static func start(_ tools: AgentTools, on transport: any Transport) async throws -> MCP.Server {
        let client = ClientName()
        let server = MCP.Server(
            name: "agent-scheduler", version: SchedulerVersion.current, title: "agent-scheduler",
            instructions: instructions, capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools.list()) }
        await server.withMethodHandler(CallTool.self) { call in
            try await tools.call(call.name, arguments: call.arguments, createdBy: client.createdBy)
        }
        try await server.start(transport: transport) { info, _ in client.record(info.name) }
        return server
    }

    /// The name the client gave at initialisation, for the `created_by` of the tasks it
    /// schedules (`mcp:claude-desktop`; `mcp` when it gave none).
    final class ClientName: Sendable {
        private let name = Mutex<String?>(nil)

        func record(_ name: String) {
            let cleaned = String(name.unicodeScalars.filter { $0.properties.isAlphabetic || "0123456789-_. ".unicodeScalars.contains($0) }
                .prefix(90))
            self.name.withLock { $0 = cleaned.isEmpty ? nil : cleaned }
        }

        var createdBy: String {
            name.withLock { $0 }.map { "mcp:\($0)" } ?? "mcp"
        }
    }
}
