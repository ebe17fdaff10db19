import Foundation

/// A task id as people see and copy it: the whole UUID, or a unique prefix of at least
/// eight hex digits (the dashboard shows eight). Resolved by a range read on the primary
/// key (all ids from the prefix padded with 0s to it padded with fs), so it costs an
/// index lookup, not a scan.
public struct TaskIDPrefix: Sendable, Equatable {
    /// The hex digits given, lower-case, dashes left out.
    public let digits: String

    /// The shortest prefix accepted.
    public static let shortest = 8

    /// `nil` when `text` is not 8 to 32 hex digits (dashes where a UUID has them allowed).
    public init?(_ text: String) {
        let digits = text.lowercased().filter { $0 != "-" }
        guard (Self.shortest...32).contains(digits.count), digits.allSatisfy(\.isHexDigit) else { return nil }
        self.digits = digits
    }

    /// The lowest and highest ids with this prefix.
    var range: (low: UUID, high: UUID) {
        (Self.uuid(hex: digits.padding(toLength: 32, withPad: "0", startingAt: 0)),
         Self.uuid(hex: digits.padding(toLength: 32, withPad: "f", startingAt: 0)))
    }

    /// The one task whose id starts with this prefix; ``SchedulerError/invalidInput(field:reason:)``
    /// when none or several match.
    public func resolve(in store: any TaskStore) async throws -> UUID {
        let matches = try await store.taskIDs(in: range, limit: 2)
        guard let first = matches.first else {
            throw SchedulerError.invalidInput(field: "id", reason: "no task id starts with '\(digits)'")
        }
        guard matches.count == 1 else {
            throw SchedulerError.invalidInput(field: "id", reason: "'\(digits)' is the start of several task ids: give more of it")
        }
        return first
    }

    /// The UUID of 32 hex digits.
    private static func uuid(hex: String) -> UUID {
        let chars = Array(hex)
        let text = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }.joined(separator: "-")
        return UUID(uuidString: text) ?? UUID()
    }
}
