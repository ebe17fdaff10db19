import Foundation
import Hummingbird

/// Reads a request body as a JSON object, with errors that say what is wrong with it.
enum JSONBody {
    static func object(from request: Request, context: some RequestContext) async throws -> [String: JSONValue] {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { throw APIError.invalidJSON("the request body is empty: expected a JSON object") }
        guard let value = JSONValue(parsing: String(buffer: buffer)) else {
            throw APIError.invalidJSON("the request body is not valid JSON")
        }
        guard case .object(let object) = value else { throw APIError.invalidJSON("the request body must be a JSON object") }
        return object
    }
}
