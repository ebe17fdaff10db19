import Scheduler

/// One page of a task list, as `GET /tasks` and the MCP `list_tasks` tool answer:
/// `next_cursor` is always present, `null` on the last page.
package struct TaskPage: Encodable {
    package var tasks: [TaskRepresentation]
    package var nextCursor: String?

    package init(tasks: [TaskRepresentation], nextCursor: String?) {
        self.tasks = tasks
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey {
        case tasks
        case nextCursor = "next_cursor"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tasks, forKey: .tasks)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
