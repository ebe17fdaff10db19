/// A migration that ``TaskStore/migrate(modules:)`` applied: its track and version.
public struct AppliedMigration: Sendable, Hashable, CustomStringConvertible {
    public let track: String
    public let version: Int

    public init(track: String, version: Int) {
        self.track = track
        self.version = version
    }

    public var description: String { "\(track) \(version)" }
}
