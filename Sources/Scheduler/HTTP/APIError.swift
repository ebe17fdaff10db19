import Foundation
import Hummingbird

/// An error the HTTP API answers with: a status, a stable `code` and a message a client
/// can act on, rendered as `{"error": {"code": …, "message": …}}`. Never carries SQL,
/// stack traces or secrets.
public struct APIError: HTTPResponseError, Sendable, Equatable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String

    public init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse.make(status, Body(error: .init(code: code, message: message)))
    }

    struct Body: Codable, Equatable {
        struct Detail: Codable, Equatable {
            var code: String
            var message: String
        }

        var error: Detail
    }

    /// A body that is not JSON, or not the JSON object expected.
    static func invalidJSON(_ message: String) -> APIError {
        APIError(.badRequest, code: "invalid_json", message: message)
    }

    /// A field of the body with a value that cannot be used.
    static func invalidField(_ field: String, _ reason: String) -> APIError {
        APIError(.unprocessableContent, code: "invalid_field", message: "field '\(field)' \(reason)")
    }

    /// A query parameter that cannot be used.
    static func invalidQuery(_ parameter: String, _ reason: String) -> APIError {
        APIError(.badRequest, code: "invalid_query", message: "query parameter '\(parameter)' \(reason)")
    }

    /// A path segment that should be a task id and is not.
    static func invalidID(_ text: String) -> APIError {
        APIError(.badRequest, code: "invalid_id", message: "'\(text)' is not a task id: expected a UUID")
    }

    /// The same error about the `index`th element of an array field, e.g. `tasks[3]`.
    func at(_ field: String, index: Int) -> APIError {
        APIError(status, code: code, message: "\(field)[\(index)]: \(message)")
    }

    /// The scheduler's own errors, each with the status that fits it.
    init(_ error: SchedulerError) {
        let status: HTTPResponse.Status =
            switch error {
            case .taskNotFound, .taskTypeNotFound, .scheduleNotFound: .notFound
            case .invalidTransition, .leaseNotHeld, .resultRefused: .conflict
            case .unknownTaskType, .invalidContext, .invalidInput: .unprocessableContent
            }
        self.init(status, code: error.code, message: error.description)
    }
}
