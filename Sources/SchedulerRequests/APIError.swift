import Foundation
import HTTPTypes
import Scheduler

/// An error the HTTP API answers with: a status, a stable `code` and a message a client
/// can act on, rendered as `{"error": {"code": …, "message": …}}`. Never carries SQL,
/// stack traces or secrets.
public struct APIError: Error, Sendable, Equatable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String

    public init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The largest request body the API reads (1 MiB), and the largest context an agent
    /// may send through MCP.
    public static let maximumBodySize = 1 << 20

    /// The JSON an error answers with.
    package struct Body: Codable, Equatable {
        package struct Detail: Codable, Equatable {
            package var code: String
            package var message: String

            package init(code: String, message: String) {
                self.code = code
                self.message = message
            }
        }

        package var error: Detail

        package init(error: Detail) {
            self.error = error
        }
    }

    /// A body that is not JSON, or not the JSON object expected.
    package static func invalidJSON(_ message: String) -> APIError {
        APIError(.badRequest, code: "invalid_json", message: message)
    }

    /// A field of the body with a value that cannot be used.
    package static func invalidField(_ field: String, _ reason: String) -> APIError {
        APIError(.unprocessableContent, code: "invalid_field", message: "field '\(field)' \(reason)")
    }

    /// A query parameter that cannot be used.
    package static func invalidQuery(_ parameter: String, _ reason: String) -> APIError {
        APIError(.badRequest, code: "invalid_query", message: "query parameter '\(parameter)' \(reason)")
    }

    /// A path segment that should be a task id and is not.
    package static func invalidID(_ text: String) -> APIError {
        APIError(.badRequest, code: "invalid_id", message: "'\(text)' is not a task id: expected a UUID")
    }

    /// The same error about the `index`th element of an array field, e.g. `tasks[3]`.
    package func at(_ field: String, index: Int) -> APIError {
        APIError(status, code: code, message: "\(field)[\(index)]: \(message)")
    }

    /// The scheduler's own errors, each with the status that fits it.
    package init(_ error: SchedulerError) {
        let status: HTTPResponse.Status =
            switch error {
            case .taskNotFound, .taskTypeNotFound, .scheduleNotFound: .notFound
            case .invalidTransition, .leaseNotHeld, .resultRefused: .conflict
            case .unknownTaskType, .invalidContext, .invalidInput: .unprocessableContent
            }
        self.init(status, code: error.code, message: error.description)
    }
}
