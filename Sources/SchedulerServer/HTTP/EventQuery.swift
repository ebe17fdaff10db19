import Foundation
import HTTPTypes
import Hummingbird
import Scheduler
import SchedulerRequests

/// The query parameters and headers of an event stream request: the filter
/// (`task_id`, `task_type`, `user_id`, `type` as a comma-separated list of event names)
/// and the `Last-Event-ID` to resume after. Unusable values are refused, naming the
/// parameter.
struct EventQuery {
    var filter = EventFilter()
    var lastEventID: UInt64?

    init(_ request: Request, taskID: UUID? = nil) throws {
        let query = request.uri.queryParameters
        func text(_ name: String) -> String? { query[Substring(name)].map { String($0) } }
        filter.taskID = taskID
        if taskID == nil, let task = text("task_id") {
            guard let id = UUID(uuidString: task) else { throw APIError.invalidQuery("task_id", "must be a UUID") }
            filter.taskID = id
        }
        if let type = text("task_type") {
            guard !type.isEmpty else { throw APIError.invalidQuery("task_type", "must not be empty") }
            filter.taskType = type
        }
        if let user = text("user_id") {
            guard let id = UUID(uuidString: user) else { throw APIError.invalidQuery("user_id", "must be a UUID") }
            filter.userID = id
        }
        if let types = text("type") {
            for name in types.split(separator: ",", omittingEmptySubsequences: false) {
                guard let kind = TaskEvent.Kind(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw APIError.invalidQuery(
                        "type", "has '\(name)', which is not an event type; use \(TaskEvent.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                filter.kinds.insert(kind)
            }
        }
        if let resume = request.headers[HTTPField.Name("Last-Event-ID")!] {
            guard let id = UInt64(resume.trimmingCharacters(in: CharacterSet.whitespaces)) else {
                throw APIError(.badRequest, code: "invalid_header",
                    message: "header 'Last-Event-ID' must be the id of an event this stream sent, a whole number")
            }
            lastEventID = id
        }
    }
}
