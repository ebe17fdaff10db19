import Foundation

/// A file of SQL statements separated by semicolons at line ends, with `--` comment
/// lines, such as `fixtures/sample_data.sql`; ``TaskStore/run(script:)`` runs one.
public enum SQLScript {
    /// The statements of a script, comments dropped, in order.
    public static func statements(in text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
            .joined(separator: "\n")
            .components(separatedBy: ";\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
            .filter { !$0.isEmpty }
    }
}
