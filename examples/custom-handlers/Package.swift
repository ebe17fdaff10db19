// swift-tools-version: 6.1
// A team's own agent-scheduler: this repository's library, by path, with one handler of
// its own that writes to a table of its own. Outside this repository, depend on
// agent-scheduler by its git URL instead of the path.
import PackageDescription

let package = Package(
    name: "custom-handlers",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "agent-scheduler", path: "../.."),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
    ],
    targets: [
        // The handlers and their table, usable by any executable or test.
        .target(
            name: "NoteHandlers",
            dependencies: [
                .product(name: "Scheduler", package: "agent-scheduler"),
                .product(name: "SchedulerService", package: "agent-scheduler"),
                .product(name: "SchedulerPostgres", package: "agent-scheduler"),
                .product(name: "SchedulerSQLite", package: "agent-scheduler"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
            ]
        ),
        // The whole agent-scheduler CLI (serve, migrate, enqueue, tasks, mcp, handlers, ...)
        // with these handlers.
        .executableTarget(
            name: "notes-scheduler",
            dependencies: [
                "NoteHandlers",
                .product(name: "AgentSchedulerCLI", package: "agent-scheduler"),
            ]
        ),
        // The handlers embedded in an application of its own, without the CLI.
        .executableTarget(
            name: "notes-app",
            dependencies: [
                "NoteHandlers",
                .product(name: "Scheduler", package: "agent-scheduler"),
                .product(name: "SchedulerService", package: "agent-scheduler"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "NoteHandlersTests",
            dependencies: [
                "NoteHandlers",
                .product(name: "Scheduler", package: "agent-scheduler"),
                .product(name: "SchedulerService", package: "agent-scheduler"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
            ]
        ),
    ]
)
