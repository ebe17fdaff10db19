import Foundation

/// The ``TaskLimit`` of each limited task type, from `TASK_LIMITS` and the task-types
/// file; the store enforces them whenever it claims.
///
/// `TASK_LIMITS` reads `type:concurrency=N,rate=M/period;type2:…`, e.g.
/// `research_solution:concurrency=4,rate=60/1m;probe:concurrency=2`.
public struct TaskLimits: Sendable, Hashable {
    public var byType: [String: TaskLimit]

    public init(_ byType: [String: TaskLimit] = [:]) {
        self.byType = byType
    }

    /// No limits: every claim takes as many tasks as it asks for.
    public static let none = TaskLimits()

    public var isEmpty: Bool { byType.isEmpty }

    /// The limited types, sorted.
    public var taskTypes: [String] { byType.keys.sorted() }

    public subscript(taskType: String) -> TaskLimit? { byType[taskType] }

    /// What is wrong with a `TASK_LIMITS` value.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var problem: String
        public var description: String { problem }
    }

    /// Reads a `TASK_LIMITS` value; the error names the entry and what is wrong in it.
    public init(parsing text: String) throws(ParseError) {
        var byType: [String: TaskLimit] = [:]
        for entry in text.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            guard let colon = entry.firstIndex(of: ":") else {
                throw ParseError(problem: "'\(entry)' must be type:concurrency=N,rate=M/period")
            }
            let name = entry[..<colon].trimmingCharacters(in: .whitespaces)
            guard TaskTypeName.isValid(name) else {
                throw ParseError(problem: "'\(name)' is not a task type name (1-100 letters, digits, _, - or .)")
            }
            guard byType[name] == nil else { throw ParseError(problem: "task type '\(name)' is limited twice") }
            var limit = TaskLimit()
            for setting in entry[entry.index(after: colon)...].split(separator: ",") {
                let pair = setting.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                switch (pair.first, pair.count == 2 ? pair[1] : nil) {
                case ("concurrency", let value?):
                    guard let count = Int(value), count > 0 else {
                        throw ParseError(problem: "\(name): concurrency must be a whole number above zero, not '\(value)'")
                    }
                    limit.concurrency = count
                case ("rate", let value?):
                    guard let rate = TaskLimit.Rate(parsing: value) else {
                        throw ParseError(problem: "\(name): rate must be starts/period above zero, e.g. 60/1m, not '\(value)'")
                    }
                    limit.rate = rate
                default:
                    throw ParseError(problem: "\(name): '\(setting)' is not concurrency=N or rate=M/period")
                }
            }
            guard limit.concurrency != nil || limit.rate != nil else {
                throw ParseError(problem: "\(name): give concurrency=N, rate=M/period or both")
            }
            byType[name] = limit
        }
        self.init(byType)
    }

    /// These limits with `other`'s laid over them, type by type.
    public func overlaid(by other: TaskLimits) -> TaskLimits {
        TaskLimits(byType.merging(other.byType) { _, new in new })
    }
}
