import Foundation
import Hummingbird
import Scheduler
import SchedulerRequests

/// Reads a request body as a JSON object, with errors that say what is wrong with it.
enum JSONBody {
    static func object(from request: Request, context: some RequestContext) async throws -> [String: JSONValue] {
        if let type = request.headers[.contentType], !isJSON(type) {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_media_type",
                message: "the request body must be JSON: send 'Content-Type: application/json', not '\(type.prefix(100))'")
        }
        let buffer = try await BodyReader.collect(request, upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { throw APIError.invalidJSON("the request body is empty: expected a JSON object") }
        guard let value = JSONValue(parsing: String(buffer: buffer)) else {
            throw APIError.invalidJSON("the request body is not valid JSON")
        }
        guard case .object(let object) = value else { throw APIError.invalidJSON("the request body must be a JSON object") }
        return object
    }

    /// Whether a `Content-Type` names JSON: `application/json` or a `+json` type, any parameters.
    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }
}
