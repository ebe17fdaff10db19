import Hummingbird
import Logging
import NIOCore
import Scheduler
import SchedulerRequests

/// Turns every error into a JSON error response: the API's own errors as they are,
/// Hummingbird's (unknown route, oversize body) with a code for their status, and
/// anything else into a plain 500 whose details stay in the server log.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The routed operations, to tell "no such path" (404) from "no such method" (405).
    let routes: [(method: HTTPRequest.Method, path: String)]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as SchedulerError {
            return try APIError(error).response(from: request, context: context)
        } catch let error as HTTPResponseError {
            if error.status == .notFound, let allowed = allowedMethods(for: request.uri.path) {
                var response = try APIError(
                    .methodNotAllowed, code: "method_not_allowed",
                    message: "\(request.method) is not allowed on \(request.uri.path) (allowed: \(allowed))"
                ).response(from: request, context: context)
                response.headers[.allow] = allowed
                return response
            }
            var response = try Self.translate(error, request: request).response(from: request, context: context)
            // The rest of an oversize body is not worth reading: the connection ends here.
            if error.status == .contentTooLarge { response.headers[.connection] = "close" }
            return response
        } catch {
            context.logger.error("request failed", metadata: ["error.type": "\(type(of: error))", "error": "\(DatabaseErrorDescription.describe(error))"])
            return try APIError(.internalServerError, code: "internal_error", message: "the server could not complete the request")
                .response(from: request, context: context)
        }
    }

    /// The methods routed for a path, comma-separated, or `nil` when no route has it.
    /// A path spelt out in full (`/tasks/batch`) hides a template it also fits
    /// (`/tasks/{id}`), as in the router.
    private func allowedMethods(for path: String) -> String? {
        let segments = path.split(separator: "/")
        let matching = routes.filter { route in
            let parts = route.path.split(separator: "/")
            return parts.count == segments.count
                && zip(parts, segments).allSatisfy { part, segment in part.hasPrefix("{") || part == segment }
        }
        let exact = matching.filter { !$0.path.contains("{") }
        let methods = (exact.isEmpty ? matching : exact).map(\.method.rawValue)
        return methods.isEmpty ? nil : methods.joined(separator: ", ")
    }

    private static func translate(_ error: some HTTPResponseError, request: Request) -> APIError {
        switch error.status {
        case .notFound:
            APIError(.notFound, code: "not_found", message: "no route for \(request.method) \(request.uri.path)")
        case .contentTooLarge:
            APIError(
                .contentTooLarge, code: "body_too_large",
                message: "the request body is larger than \(APIError.maximumBodySize) bytes")
        default:
            APIError(error.status, code: "http_\(error.status.code)", message: error.status.reasonPhrase)
        }
    }
}
