import Foundation

/// What a remote worker's claim hands out to prove, on each later call, that it still
/// holds the task: the worker and the attempt it claimed. A call whose token names
/// another worker or an earlier attempt (the lease expired and the task moved on) is
/// refused with 409 and changes nothing.
///
/// Opaque to the worker: base64url of `<attempt>:<worker id>`. It is not a secret (the
/// API's bearer token guards every call); it only keeps one attempt's calls from
/// landing on another.
public struct LeaseToken: Sendable, Hashable {
    public let attempt: Int
    public let workerID: String

    public init(attempt: Int, workerID: String) {
        self.attempt = attempt
        self.workerID = workerID
    }

    /// The token of the attempt `task` is running now.
    init(running task: AgentTask) {
        self.init(attempt: task.attempt, workerID: task.lockedBy ?? "")
    }

    /// Reads a token; `nil` when it is not one this server handed out.
    public init?(text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard text.count <= 400, let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8),
            let colon = decoded.firstIndex(of: ":"), let attempt = Int(decoded[..<colon]), attempt > 0
        else { return nil }
        let worker = String(decoded[decoded.index(after: colon)...])
        guard !worker.isEmpty else { return nil }
        self.init(attempt: attempt, workerID: worker)
    }

    public var text: String {
        Data("\(attempt):\(workerID)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
