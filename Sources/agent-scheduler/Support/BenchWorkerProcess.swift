import Foundation

/// A `bench-worker` child process of this executable: one of W4's engine processes.
struct BenchWorkerProcess {
    let process: Process
    let workerID: String

    /// Starts `agent-scheduler bench-worker` (this same binary) on `databaseURL`.
    static func start(databaseURL: String, workerID: String, concurrency: Int, batchSize: Int) throws -> BenchWorkerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = [
            "bench-worker", "--database-url", databaseURL, "--worker-id", workerID,
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

/// Why a benchmark run could not produce its figures.
enum BenchError: Error, CustomStringConvertible {
    case workerFailed(workerID: String, status: Int32)
    case notAllCompleted(expected: Int, completed: Int)

    var description: String {
        switch self {
        case .workerFailed(let workerID, let status):
            "W4 engine process \(workerID) exited with status \(status); its output above says why"
        case .notAllCompleted(let expected, let completed):
            "only \(completed) of \(expected) noop tasks ended completed; the others failed or were cancelled"
        }
    }
}
