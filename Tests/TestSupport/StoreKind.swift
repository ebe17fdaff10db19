import Foundation
import Testing

/// The databases the store conformance suite runs against.
public enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    public var testDescription: String { rawValue }

    /// Whether PostgreSQL tests can run: `scripts/test` provides a cluster, and CI always
    /// counts as having one, so a missing cluster fails them there instead of skipping them.
    public static var postgresAvailable: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["TEST_DATABASE_URL"] != nil || environment["CI"] == "true"
    }

    /// SQLite always; PostgreSQL where ``postgresAvailable``.
    public static var available: [StoreKind] {
        postgresAvailable ? allCases : [.sqlite]
    }
}
