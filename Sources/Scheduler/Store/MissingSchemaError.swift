/// A database without agent-scheduler's tables (a new one, the wrong one, or one whose
/// schema is older than this build): said in one line that names the fix, instead of a
/// driver's "no such table" or generic error.
public struct MissingSchemaError: Error, CustomStringConvertible, Sendable {
    /// Where the database is, without credentials.
    public let location: String

    public init(location: String) {
        self.location = location
    }

    public var description: String {
        "\(location) has no agent-scheduler schema, or an older one: run `agent-scheduler migrate` with the same DATABASE_URL"
    }

    /// Whether `error` is a database saying a table or function of the schema is missing.
    public static func isMissingSchema(_ error: any Error) -> Bool {
        (error as? any DatabaseReportedError)?.isMissingSchema ?? false
    }
}
