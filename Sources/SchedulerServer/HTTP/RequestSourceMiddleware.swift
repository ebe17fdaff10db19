import Hummingbird
import Scheduler
import SchedulerRequests

/// Refuses requests that did not come from where the server expects, before anything
/// else looks at them, in every mode (with a token or without):
/// - a `Host` the server does not answer for (``AllowedHosts``): 421, so a page on
///   another name cannot reach it through DNS rebinding;
/// - a request that changes state (any method but GET, HEAD and OPTIONS) carrying an
///   `Origin` other than the server's own: 403, so a page elsewhere cannot drive it.
/// Clients that send no `Origin` (curl, the CLI, remote workers) are not affected.
struct RequestSourceMiddleware<Context: RequestContext>: RouterMiddleware {
    let hosts: AllowedHosts

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let authority = request.head.authority
        if let authority, !hosts.allows(authority) {
            throw APIError(
                .misdirectedRequest, code: "host_not_allowed",
                message: "this server does not answer for host '\(authority.prefix(100))': add the name to ALLOWED_HOSTS (--allowed-hosts)")
        }
        if ![.get, .head, .options].contains(request.method), let origin = request.headers[.origin],
            !Self.isSameOrigin(origin, authority: authority)
        {
            throw APIError(
                .forbidden, code: "cross_origin",
                message: "requests from origin '\(origin.prefix(100))' may not change anything here: only the server's own pages may")
        }
        return try await next(request, context)
    }

    /// Whether `origin` (`scheme://host[:port]`) names the host and port the request was sent to.
    static func isSameOrigin(_ origin: String, authority: String?) -> Bool {
        guard let authority, let separator = origin.range(of: "://") else { return false }
        let scheme = origin[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return false }
        return origin[separator.upperBound...].lowercased() == authority.lowercased()
    }
}
