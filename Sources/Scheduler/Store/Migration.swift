/// One versioned step of a schema, as SQL statements run in order.
///
/// A module keeps one list per dialect; the lists have the same versions with the same
/// meaning, and a version, once released, never changes. An empty list marks a version
/// that one dialect does not need.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}
