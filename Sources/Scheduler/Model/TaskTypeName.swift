import Foundation

/// The rule every task type's name (and schedule name) follows, below the declarations
/// and schedules that use it.
public enum TaskTypeName {
    /// Whether `name` can be a task type: 1-100 letters, digits, `_`, `-` or `.`.
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100
            && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "_-.".unicodeScalars.contains($0) }
            && name.allSatisfy(\.isASCII)
    }
}
