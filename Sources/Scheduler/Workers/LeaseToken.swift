import Crypto
import Foundation

/// What a remote worker's claim hands out to prove, on each later call, that it holds
/// the task: the worker and the attempt it claimed, signed for that task with the
/// deployment's ``LeaseKey``. A call whose token names another worker or an earlier
/// attempt (the lease expired and the task moved on) is refused with 409 and changes
/// nothing; a token that was not signed for the task cannot be made up from what the
/// API shows (worker ids, attempts), so nobody but the claimant can end the attempt.
///
/// It also carries the lease length the claim asked for, which a heartbeat without
/// `lease_seconds` renews.
///
/// Opaque to the worker: base64url of `<attempt>:<lease seconds>:<worker id>`, a dot,
/// and the signature.
public struct LeaseToken: Sendable, Hashable {
    public let attempt: Int
    /// The lease length of the claim, in seconds.
    public let leaseSeconds: Int
    public let workerID: String
    /// HMAC-SHA256 (hex) of the task id, attempt and worker id under the lease key.
    let signature: String

    /// The token of the attempt `task` is running now.
    package init(running task: AgentTask, lease: Duration, key: LeaseKey) {
        attempt = task.attempt
        leaseSeconds = max(1, Int(lease.timeInterval.rounded()))
        workerID = task.lockedBy ?? ""
        signature = key.signature(taskID: task.id, attempt: attempt, leaseSeconds: leaseSeconds, workerID: workerID)
    }

    /// Reads a token; `nil` when it does not have the shape of one this server hands out.
    public init?(text: String) {
        guard text.count <= 600, let dot = text.lastIndex(of: ".") else { return nil }
        var base64 = text[..<dot].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8) else { return nil }
        let fields = decoded.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, let attempt = Int(fields[0]), attempt > 0, let lease = Int(fields[1]), lease > 0 else {
            return nil
        }
        let worker = String(fields[2])
        let signature = String(text[text.index(after: dot)...])
        guard !worker.isEmpty, signature.count == 64 else { return nil }
        self.attempt = attempt
        self.leaseSeconds = lease
        self.workerID = worker
        self.signature = signature
    }

    public var text: String {
        Data("\(attempt):\(leaseSeconds):\(workerID)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "") + "." + signature
    }

    /// Whether the token was signed for `taskID` under `key`, compared in constant time.
    func isSigned(for taskID: UUID, with key: LeaseKey) -> Bool {
        let expected = Array(key.signature(taskID: taskID, attempt: attempt, leaseSeconds: leaseSeconds, workerID: workerID).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The deployment's key for lease tokens: 256 random bits that the first instance stores
/// in the database (`agent_scheduler_keys`) and every instance reads, so a token handed
/// out by one instance is accepted by all.
public struct LeaseKey: Sendable {
    private let key: SymmetricKey
    static let name = "lease_tokens"

    init(secret: String) {
        key = SymmetricKey(data: SHA256.hash(data: Data("agent-scheduler lease tokens:\(secret)".utf8)))
    }

    /// Reads the deployment's key, creating it on first use.
    static func load(from store: any TaskStore) async throws -> LeaseKey {
        let candidate = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.hexString
        return LeaseKey(secret: try await store.sharedKey(named: name, creating: candidate))
    }

    func signature(taskID: UUID, attempt: Int, leaseSeconds: Int, workerID: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(
            for: Data("lease:\(taskID.lowercasedString):\(attempt):\(leaseSeconds):\(workerID)".utf8), using: key)).hexString
    }
}
