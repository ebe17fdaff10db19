/// How urgently a task should be claimed relative to other due tasks.
///
/// Claims order by `rank` (lower first), then by `scheduled_for`; the database stores the
/// rank in a generated column so the claim query can walk an index in that order.
public enum TaskPriority: String, Sendable, Codable, CaseIterable {
    case urgent
    case high
    case medium
    case low

    /// Every rank, in claim order: the ranges of the claim index that the claim and the
    /// next-due lookup search one after another.
    package static let ranks = allCases.map(\.rank)

    /// The sort key used by claims: `urgent` is 0, `low` is 3.
    public var rank: Int {
        switch self {
        case .urgent: 0
        case .high: 1
        case .medium: 2
        case .low: 3
        }
    }
}
