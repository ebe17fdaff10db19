import Foundation

/// The database did not answer: where it was looked for, why it failed, and for how
/// long it was tried, in one line an operator can act on.
public struct DatabaseUnreachableError: Error, CustomStringConvertible {
    /// Where the database is, e.g. "PostgreSQL at 127.0.0.1:5432, database app, user app".
    public let location: String
    /// Why the last attempt failed, e.g. "connection refused".
    public let reason: String
    /// How long attempts went on before giving up; `nil` for a single attempt.
    public var gaveUpAfter: Duration?

    public init(location: String, reason: String, gaveUpAfter: Duration? = nil) {
        self.location = location
        self.reason = reason
        self.gaveUpAfter = gaveUpAfter
    }

    public var description: String {
        let waited = gaveUpAfter.map {
            " (gave up after \(String(format: "%.1f", $0.timeInterval)) s; DATABASE_CONNECT_TIMEOUT_MS sets how long to try)"
        } ?? ""
        return "cannot reach the database: \(location): \(reason)\(waited)"
    }
}
