import Synchronization

/// Holds the deployment's ``LeaseKey`` once read, so the worker API reads the database
/// for it only on its first call.
public final class LeaseKeyring: Sendable {
    private let loaded = Mutex<LeaseKey?>(nil)

    public init() {}

    func key(from store: any TaskStore) async throws -> LeaseKey {
        if let key = loaded.withLock({ $0 }) { return key }
        let key = try await LeaseKey.load(from: store)
        loaded.withLock { $0 = key }
        return key
    }
}
