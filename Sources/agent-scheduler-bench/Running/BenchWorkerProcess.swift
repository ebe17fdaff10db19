import Foundation
import Scheduler

/// A `worker` child process of this executable: one of W4's engine processes.
struct BenchWorkerProcess {
    let process: Process
    let workerID: String

    /// Starts `agent-scheduler-bench worker` (this same binary) on `databaseURL`.
    static func start(
        databaseURL: String, poolMode: DatabasePoolMode, workerID: String, concurrency: Int, batchSize: Int
    ) throws -> BenchWorkerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = [
            "worker", "--database-url", databaseURL, "--database-pool-mode", poolMode.rawValue, "--worker-id", workerID,
            "--concurrency", "\(concurrency)", "--batch-size", "\(batchSize)",
        ]
        try process.run()
        return BenchWorkerProcess(process: process, workerID: workerID)
    }

    var isRunning: Bool { process.isRunning }

    /// The most memory the process has held so far.
    var peakRSSMB: Double { ProcessMemory.peakMB(pid: "\(process.processIdentifier)") }

    /// Sends SIGTERM and waits; throws unless the process drained and exited 0.
    func stop() throws {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError.workerFailed(workerID: workerID, status: process.terminationStatus)
        }
    }
}
