import Foundation
import Logging
import MCP
import Scheduler
import SchedulerRequests

/// How a tool's outcome reaches the agent: the JSON both as text (which every client
/// shows the model) and as `structuredContent`; a failure as a tool error whose text
/// names the field or the state at fault, never as a protocol failure.
enum ToolAnswer {
    static func result(_ answer: Result<JSONValue, any Error>, tool: String, logger: Logger) -> CallTool.Result {
        switch answer {
        case .success(let value):
            let text = (try? JSONText.encode(value)) ?? "{}"
            let structured: MCP.Value? = MCP.Value(value)
            return CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: structured)
        case .failure(let error):
            let (code, message) = describe(error, tool: tool, logger: logger)
            let structured: MCP.Value? = MCP.Value(["error": ["code": .string(code), "message": .string(message)]])
            return CallTool.Result(
                content: [.text(text: "\(code): \(message)", annotations: nil, _meta: nil)], structuredContent: structured,
                isError: true)
        }
    }

    /// A stable code and a message the agent can act on. An unexpected error (the
    /// database unreachable, say) is logged in full and answered without its details.
    private static func describe(_ error: any Error, tool: String, logger: Logger) -> (String, String) {
        if let error = error as? APIError {
            return (error.code, error.message.replacingOccurrences(of: "field '", with: "argument '"))
        }
        if let error = error as? SchedulerError { return (error.code, error.description) }
        logger.error("MCP tool failed", metadata: ["tool": "\(tool)", "error": "\(error)"])
        return ("unavailable", "the scheduler could not complete \(tool) just now; try again shortly (its log has the cause)")
    }
}
