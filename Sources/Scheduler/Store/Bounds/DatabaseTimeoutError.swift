/// A database call that got no answer within its bound: the connection it was sent on
/// most likely died mid-statement. The caller gives up waiting and tries again, the way
/// it would after any other transport error.
public struct DatabaseTimeoutError: Error, CustomStringConvertible, Sendable {
    /// The store operation that timed out, e.g. `claim`.
    public let operation: String
    public let limit: Duration

    public var description: String {
        "the database did not answer \(operation) within \(limit.timeInterval.formatted()) s (a connection lost mid-statement?)"
    }
}
