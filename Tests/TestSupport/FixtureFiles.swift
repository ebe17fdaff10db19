import Foundation

/// The repository's `fixtures/` folder, which every test target reads.
public enum FixtureFiles {
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures")
}
