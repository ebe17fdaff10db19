import ArgumentParser
import Foundation
import Scheduler

/// `agent-scheduler task-types`: list the task types with their state, and pause or
/// resume one for every instance sharing the database.
struct TaskTypes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task-types",
        abstract: "List task types, or pause and resume one across every instance.",
        subcommands: [List.self, Pause.self, Resume.self]
    )

    /// Runs `body` with the task types of the configured database and prints what it
    /// returns as JSON (as the HTTP API answers).
    static func run<T: Encodable & Sendable>(
        _ settings: DatabaseOptions, _ body: @Sendable (TaskTypeControl) async throws -> T
    ) async throws {
        let runtime = try Runtime(settings)
        let shown = try await runtime.withStore { store, registry in
            try await body(TaskTypeControl(store: store, registry: registry, configuration: runtime.configuration))
        }
        try Output.json(shown)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the task types: remote or not, paused, limits.")

        @Flag(help: "Print JSON (as GET /task-types) instead of a table.") var json = false
        @OptionGroup var settings: DatabaseOptions

        func run() async throws {
            let runtime = try Runtime(settings)
            let states = try await runtime.withStore(.read) { store, registry in
                try await TaskTypeControl(store: store, registry: registry, configuration: runtime.configuration).list()
            }
            if json { return try Output.json(states) }
            print(TextTable.render(
                header: ["TYPE", "RUNS", "STATE", "CONCURRENCY", "RATE"],
                rows: states.map { state in
                    [
                        state.taskType, state.remote ? "remote" : "in-process",
                        state.pausedAt.map { "paused since \(Timestamp.string(from: $0))" } ?? "running",
                        state.limit?.concurrency.map(String.init) ?? "-", state.limit?.rate?.description ?? "-",
                    ]
                }))
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pause a task type: its pending tasks wait, running ones finish (POST /task-types/{type}/pause).")

        @Argument(help: "The task type.") var taskType: String
        @OptionGroup var settings: DatabaseOptions

        func run() async throws {
            try await TaskTypes.run(settings) { control in try await control.pause(taskType, now: Date()) }
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resume a paused task type on every instance (POST /task-types/{type}/resume).")

        @Argument(help: "The task type.") var taskType: String
        @OptionGroup var settings: DatabaseOptions

        func run() async throws {
            try await TaskTypes.run(settings) { control in try await control.resume(taskType) }
        }
    }
}
