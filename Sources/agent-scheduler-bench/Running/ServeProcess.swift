import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// An `agent-scheduler serve` child process on a loopback port: what a benchmark measures
/// when its figures must include everything production runs (the HTTP server, the
/// engine, the lease keeper), not just the engine.
struct ServeProcess {
    let process: Process
    let port: Int

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The `agent-scheduler` binary beside this one (both are built into the same folder).
    static func siblingBinary() throws -> String {
        let own = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        return URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent("agent-scheduler").path
    }

    /// The settings that keep what a benchmark leaves in the tables: serve's default
    /// retention would start pruning an old history in the middle of a run.
    static let keepHistory = ["RETENTION_COMPLETED": "off", "RETENTION_FAILED": "off", "RETENTION_LOG": "off"]

    /// Starts `binary serve` on `databaseURL` with `settings` added to its environment,
    /// and waits until `/health` answers 200.
    static func start(binary: String, databaseURL: String, settings: [String: String] = [:]) async throws -> ServeProcess {
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw BenchError.noServeBinary(binary) }
        let port = try await freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve"]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = databaseURL
        environment["PORT"] = "\(port)"
        environment["LOG_LEVEL"] = "warning"
        environment.merge(settings) { $1 }
        process.environment = environment
        try process.run()
        let serve = ServeProcess(process: process, port: port)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, process.isRunning {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: serve.baseURL + "/health"), timeout: .seconds(2)),
                response.status == .ok
            {
                return serve
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        try? serve.stop()
        throw BenchError.serveDidNotStart(binary)
    }

    /// Sends SIGTERM and waits; throws unless `serve` drained and exited 0.
    func stop() throws {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError.workerFailed(workerID: "serve", status: process.terminationStatus)
        }
    }

    /// The most memory the process has held so far.
    var peakRSSMB: Double { ProcessMemory.peakMB(pid: "\(process.processIdentifier)") }

    /// A loopback port nobody listens on: bound, read and released.
    private static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}

/// What `agent-scheduler-bench run --serve` starts for each workload: the binary and the
/// settings it gets beyond `DATABASE_URL` and `PORT`.
struct ServeTarget: Sendable {
    let binary: String
    let settings: [String: String]
}
