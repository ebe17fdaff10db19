import ArgumentParser
import Foundation
import Scheduler

/// `agent-scheduler load-tasks FILE`: inserts the tasks of a file shaped like
/// `fixtures/sample_tasks.json` as another service would, without `enqueue`'s checks,
/// so that the bad samples fail at run time the way each is documented to.
struct LoadTasks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load-tasks",
        abstract: "Insert the tasks of a JSON file such as fixtures/sample_tasks.json, unchecked, as another service would.")

    @Argument(help: "A JSON file: {\"tasks\": [{\"name\": …, \"task\": {\"task_type\": …, \"agent_type\": …, \"user_id\": …, \"priority\": …, \"context_json\": {…}}}]}.")
    var file: String

    @OptionGroup var settings: DatabaseOptions

    /// One entry of the file; only its `task` is read.
    struct Entry: Decodable {
        struct Row: Decodable {
            var taskType: String
            var agentType: String?
            var userID: UUID?
            var priority: TaskPriority?
            var context: JSONValue?

            enum CodingKeys: String, CodingKey {
                case taskType = "task_type"
                case agentType = "agent_type"
                case userID = "user_id"
                case priority
                case context = "context_json"
            }
        }

        var task: Row
    }

    struct File: Decodable {
        var tasks: [Entry]
    }

    func run() async throws {
        let runtime = try Runtime(settings)
        let rows: [Entry.Row]
        do {
            rows = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: file))).tasks.map(\.task)
        } catch {
            throw CommandError("cannot read tasks from \(file): \(error.localizedDescription)")
        }
        let count = try await runtime.withStore { store, _ in
            for row in rows {
                _ = try await store.enqueue(
                    NewTask(
                        taskType: row.taskType, agentType: row.agentType ?? "sample", userID: row.userID,
                        priority: row.priority ?? .medium, maxRetries: runtime.configuration.maxRetries,
                        contextJSON: try JSONText.encode(row.context ?? .object([:])), createdBy: "agent-scheduler load-tasks"),
                    now: Date())
            }
            return rows.count
        }
        print("inserted \(count) tasks from \(file); `agent-scheduler serve` (or `serve --until-idle`) runs them")
    }
}
