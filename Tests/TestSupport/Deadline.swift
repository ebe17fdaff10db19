import Testing

/// Why a test was stopped: its body ran past the deadline it set.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public let limit: Duration
    public var description: String { "the test did not finish within \(limit); the code under test is stuck" }
}

/// Runs `body`, and fails the test with ``DeadlineExceeded`` (cancelling `body`) if it has
/// not returned within `limit`, so a broken engine fails the suite instead of hanging it.
/// The deadline is a safety net only: passing tests never come near it.
public func withDeadline<T: Sendable>(
    _ limit: Duration = .seconds(30),
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try? await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw DeadlineExceeded(limit: limit) }
        return value
    }
}
