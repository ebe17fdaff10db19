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
