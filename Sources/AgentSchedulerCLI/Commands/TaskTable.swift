import ArgumentParser
import Foundation
import Scheduler

/// Renders tasks as a fixed-width table for people.
enum TaskTable {
    static func render(_ tasks: [AgentTask]) -> String {
        guard !tasks.isEmpty else { return "no tasks" }
        let header = ["ID", "TYPE", "STATUS", "PRIORITY", "SCHEDULED FOR", "RETRIES"]
        let rows = tasks.map { task in
            [
                task.id.lowercasedString, task.taskType, task.status.rawValue, task.priority.rawValue,
                Timestamp.string(from: task.scheduledFor), "\(task.retryCount)/\(task.maxRetries)",
            ]
        }
        return TextTable.render(header: header, rows: rows)
    }
}
