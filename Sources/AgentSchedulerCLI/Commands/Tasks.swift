import ArgumentParser
import Foundation
import Scheduler

/// `agent-scheduler tasks`: inspect and steer tasks.
struct Tasks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show, cancel or retry tasks.",
        subcommands: [List.self, Show.self, Cancel.self, Retry.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tasks, newest first.")

        @Option(help: "Only tasks in this status.") var status: TaskStatus?
        @Option(name: .customLong("type"), help: "Only tasks of this type.") var taskType: String?
        @Option(help: "Only tasks about this user (a UUID).") var user: UUIDArgument?
        @Option(help: "At most this many, from 1 to 200.") var limit = 50
        @Flag(help: "Print JSON instead of a table.") var json = false
        @OptionGroup var settings: DatabaseOptions

        func validate() throws {
            guard (1...200).contains(limit) else { throw ValidationError("--limit must be a whole number from 1 to 200, not \(limit)") }
        }

        func run() async throws {
            let runtime = try Runtime(settings)
            let filter = TaskFilter(status: status, taskType: taskType, userID: user?.id, limit: limit)
            let tasks = try await runtime.withStore(.read) { store, _ in try await store.tasks(matching: filter) }
            if json {
                try Output.json(tasks.map { TaskRepresentation($0) })
                return
            }
            print(TaskTable.render(tasks))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one task with its action log and webhook deliveries.")

        @Argument(help: "The task id, or its first 8 or more characters.") var id: TaskIDArgument
        @OptionGroup var settings: DatabaseOptions

        func run() async throws {
            let runtime = try Runtime(settings)
            let shown = try await runtime.withStore(.read) { store, _ -> TaskRepresentation in
                let id = try await id.prefix.resolve(in: store)
                guard let task = try await store.task(id: id) else { throw SchedulerError.taskNotFound(id) }
                return try await TaskRepresentation.detail(of: task, from: store)
            }
            try Output.json(shown)
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a pending task, or ask the worker of a running one to stop it (it ends cancelled).")

        @Argument(help: "The task id, or its first 8 or more characters.") var id: TaskIDArgument
        @OptionGroup var settings: DatabaseOptions

        func run() async throws {
            let runtime = try Runtime(settings)
            try Output.json(TaskRepresentation(try await runtime.withStore { store, _ in
                try await store.cancel(id: try await id.prefix.resolve(in: store), now: Date())
            }))
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a failed or cancelled task again, now.")

        @Argument(help: "The task id, or its first 8 or more characters.") var id: TaskIDArgument
        @OptionGroup var settings: DatabaseOptions

        func run() async throws {
            let runtime = try Runtime(settings)
            try Output.json(TaskRepresentation(try await runtime.withStore { store, _ in
                try await store.retry(id: try await id.prefix.resolve(in: store), now: Date())
            }))
        }
    }
}
