import ArgumentParser
import Foundation
import Scheduler

/// `agent-scheduler schedules`: recurring schedules, stored in the database, ticked by
/// every serving instance.
struct Schedules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add, list, pause, resume or remove recurring schedules.",
        subcommands: [Add.self, List.self, Remove.self, Pause.self, Resume.self]
    )

    /// Runs `body` with the schedule book over the configured database, and prints what
    /// it returns as JSON (as the HTTP API answers).
    static func run(
        _ settings: DatabaseOptions, _ body: @Sendable (ScheduleBook, Date) async throws -> ScheduleRepresentation
    ) async throws {
        let runtime = try Runtime(settings)
        let shown = try await runtime.withStore { store, registry in
            try await body(ScheduleBook(store: store, registry: registry), Date())
        }
        try Output.json(shown)
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a schedule, or replace the one of that name (POST /schedules).",
            discussion: """
                agent-scheduler schedules add weekday-digest --type daily_digest --cron "0 9 * * 1-5" \\
                  --timezone Europe/Zurich --context '{"channel": "email"}'
                """)

        @Argument(help: "The schedule's name: 1-100 letters, digits, _, - or .") var name: String
        @Option(name: .customLong("type"), help: "The task type each tick enqueues.") var taskType: String
        @Option(help: "Five fields (minute hour day-of-month month day-of-week), six with seconds first, or @daily etc.")
        var cron: String
        @Option(help: "An IANA time zone, e.g. Europe/Zurich.") var timezone = "UTC"
        @Option(help: "The tasks' context, a JSON object.") var context = "{}"
        @Option(help: "urgent, high, medium or low.") var priority: TaskPriority = .medium
        @Option(help: "The user each tick's task is about (a UUID; needed by user-facing types).") var user: UUIDArgument?
        @OptionGroup var settings: DatabaseOptions

        func run() async throws {
            let request = ScheduleRequest(
                name: name, taskType: taskType, cron: cron, timeZone: timezone, contextJSON: context, priority: priority,
                userID: user?.id)
            try await Schedules.run(settings) { book, now in
                ScheduleRepresentation(try await book.save(request, now: now).schedule, now: now)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the schedules with their next run times.")

        @Flag(help: "Print JSON (as GET /schedules) instead of a table.") var json = false
        @OptionGroup var settings: DatabaseOptions

        func run() async throws {
            let runtime = try Runtime(settings)
            let now = Date()
            let shown = try await runtime.withStore(.read) { store, registry in
                try await ScheduleBook(store: store, registry: registry).list().map { ScheduleRepresentation($0, now: now) }
            }
            if json { return try Output.json(shown) }
            guard !shown.isEmpty else { return print("no schedules") }
            print(TextTable.render(
                header: ["NAME", "TYPE", "CRON", "TIME ZONE", "STATE", "NEXT RUNS", "LAST RUN"],
                rows: shown.map { entry in
                    [
                        entry.schedule.name, entry.schedule.taskType, entry.schedule.cron.description,
                        entry.schedule.timeZone.identifier, entry.schedule.paused ? "paused" : "active",
                        entry.nextRuns.prefix(2).map(Timestamp.string(from:)).joined(separator: ", "),
                        entry.schedule.lastRunAt.map(Timestamp.string(from:)) ?? "-",
                    ]
                }))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a schedule; tasks it enqueued stay (DELETE /schedules/{name}).")

        @Argument(help: "The schedule's name.") var name: String
        @OptionGroup var settings: DatabaseOptions

        func run() async throws {
            try await Schedules.run(settings) { book, now in ScheduleRepresentation(try await book.remove(name), now: now) }
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a schedule ticking until resumed.")

        @Argument(help: "The schedule's name.") var name: String
        @OptionGroup var settings: DatabaseOptions

        func run() async throws {
            try await Schedules.run(settings) { book, now in ScheduleRepresentation(try await book.pause(name, now: now), now: now) }
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a paused schedule tick again from its next tick after now.")

        @Argument(help: "The schedule's name.") var name: String
        @OptionGroup var settings: DatabaseOptions

        func run() async throws {
            try await Schedules.run(settings) { book, now in ScheduleRepresentation(try await book.resume(name, now: now), now: now) }
        }
    }
}
