// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "agent-scheduler",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Scheduler", targets: ["Scheduler"]),
        .library(name: "SchedulerPostgres", targets: ["SchedulerPostgres"]),
        .library(name: "SchedulerSQLite", targets: ["SchedulerSQLite"]),
        .library(name: "SchedulerWebhooks", targets: ["SchedulerWebhooks"]),
        .library(name: "SchedulerService", targets: ["SchedulerService"]),
        .library(name: "SchedulerRequests", targets: ["SchedulerRequests"]),
        .library(name: "SchedulerMCP", targets: ["SchedulerMCP"]),
        .library(name: "SchedulerServer", targets: ["SchedulerServer"]),
        .library(name: "AgentSchedulerCLI", targets: ["AgentSchedulerCLI"]),
        .library(name: "Handlers", targets: ["Handlers"]),
        .executable(name: "agent-scheduler", targets: ["agent-scheduler"]),
        .executable(name: "agent-scheduler-bench", targets: ["agent-scheduler-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", from: "0.12.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // The engine and everything it needs to decide: model, handlers, events, retry,
        // schedules, flow control, retention, the store protocol. No driver, no HTTP.
        .target(
            name: "Scheduler",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "SchedulerPostgres",
            dependencies: [
                "Scheduler",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "SchedulerSQLite",
            dependencies: [
                "Scheduler",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "SchedulerWebhooks",
            dependencies: [
                "Scheduler",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Opens a store from a URL and runs every long-running part as one service.
        .target(
            name: "SchedulerService",
            dependencies: [
                "Scheduler", "SchedulerPostgres", "SchedulerSQLite", "SchedulerWebhooks",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // What the HTTP API and the MCP tools share: the request's fields, read with errors
        // that name the field, the enqueue request, the wait for a final state.
        .target(
            name: "SchedulerRequests",
            dependencies: [
                "Scheduler",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SchedulerMCP",
            dependencies: [
                "Scheduler", "SchedulerRequests",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The HTTP API, server-sent events, Prometheus metrics and the dashboard.
        .target(
            name: "SchedulerServer",
            dependencies: [
                "Scheduler", "SchedulerRequests", "SchedulerMCP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Every `agent-scheduler` subcommand, for any handler set.
        .target(
            name: "AgentSchedulerCLI",
            dependencies: [
                "Scheduler", "SchedulerService", "SchedulerRequests", "SchedulerServer", "SchedulerMCP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // The task processor's handlers and their domain tables.
        .target(
            name: "Handlers",
            dependencies: [
                "Scheduler", "SchedulerService", "SchedulerPostgres", "SchedulerSQLite",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "agent-scheduler",
            dependencies: ["AgentSchedulerCLI", "Handlers", "Scheduler"]
        ),
        .executableTarget(
            name: "agent-scheduler-bench",
            dependencies: [
                "Scheduler", "SchedulerService", "SchedulerPostgres", "SchedulerSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "Scheduler", "SchedulerService", "SchedulerPostgres", "SchedulerSQLite",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "SchedulerTests",
            dependencies: [
                "Scheduler", "SchedulerPostgres", "SchedulerSQLite", "SchedulerWebhooks", "SchedulerService",
                "SchedulerMCP", "SchedulerRequests", "SchedulerServer", "TestSupport",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "MCP", package: "swift-sdk"),
            ]
        ),
        .testTarget(
            name: "HandlersTests",
            dependencies: ["Scheduler", "SchedulerService", "Handlers", "TestSupport"]
        ),
    ]
)
