import Foundation

extension TaskRepresentation {
    /// `task` with its action-log rows and webhook deliveries read from `store`: what
    /// `GET /tasks/{id}`, `tasks show`, the MCP tools and the dashboard's task page show.
    public static func detail(of task: AgentTask, from store: any TaskStore) async throws -> TaskRepresentation {
        let log = try await store.actionLog(taskID: task.id)
        let webhooks = try await store.deliveries(taskID: task.id)
        return TaskRepresentation(task, actionLog: log, webhooks: webhooks)
    }
}
