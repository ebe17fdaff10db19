/// Why a benchmark run could not produce its figures.
enum BenchError: Error, CustomStringConvertible {
    case workerFailed(workerID: String, status: Int32)
    case notAllCompleted(expected: Int, completed: Int)
    case noServeBinary(String)
    case serveDidNotStart(String)
    case pageFailed(path: String, status: UInt)

    var description: String {
        switch self {
        case .workerFailed(let workerID, let status):
            "W4 engine process \(workerID) exited with status \(status); its output above says why"
        case .notAllCompleted(let expected, let completed):
            "only \(completed) of \(expected) noop tasks ended completed; the others failed or were cancelled"
        case .noServeBinary(let path):
            "no agent-scheduler binary at \(path): build it (swift build -c release) or name it with --agent-scheduler"
        case .serveDidNotStart(let binary):
            "\(binary) serve did not answer /health within 60 s; its output above says why"
        case .pageFailed(let path, let status):
            "GET \(path) answered \(status), not 200"
        }
    }
}
