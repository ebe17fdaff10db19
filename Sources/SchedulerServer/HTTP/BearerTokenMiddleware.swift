import Hummingbird
import Scheduler
import SchedulerRequests

/// Requires `Authorization: Bearer <SCHEDULER_API_TOKEN>` (the scheme in any case), the
/// token compared in constant time so the comparison leaks nothing through its timing.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]

    init(token: String) {
        self.token = Array(token.utf8)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.headers[.authorization] != nil else {
            throw APIError(.unauthorized, code: "unauthorized", message: "missing 'Authorization: Bearer <token>' header")
        }
        guard accepts(request) else {
            throw APIError(.unauthorized, code: "unauthorized", message: "the bearer token is not valid")
        }
        return try await next(request, context)
    }

    /// Whether `request` carries the token.
    func accepts(_ request: Request) -> Bool {
        guard let header = request.headers[.authorization] else { return false }
        // The scheme is case-insensitive (RFC 9110 §11.1); the token is not.
        let scheme = "bearer "
        return header.utf8.count > scheme.utf8.count && header.prefix(scheme.count).lowercased() == scheme
            && Self.constantTimeEquals(Array(header.utf8.dropFirst(scheme.utf8.count)), token)
    }

    /// Compares two byte strings in time that depends only on their lengths.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference: UInt8 = lhs.count == rhs.count ? 0 : 1
        for index in 0..<max(lhs.count, rhs.count) {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }
}
