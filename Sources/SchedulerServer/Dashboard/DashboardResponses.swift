import Foundation
import HTTPTypes
import Hummingbird
import Scheduler

/// How the dashboard answers: its HTML with a strict Content Security Policy, its
/// script, redirects that carry a one-time notice in a short-lived cookie (never in the
/// URL, where anyone could write one), and the session read from its cookie.
extension DashboardRoutes {
    /// The notice cookie's name; it lives for one page view.
    static let flashCookieName = "agent_scheduler_notice"

    /// Whether `session` was signed here, has not expired, and was not ended by a logout
    /// on any instance.
    func isLive(_ session: String?) async throws -> Bool {
        guard let session, auth.isValid(session: session, now: environment.clock.now) else { return false }
        guard let (nonce, _) = auth.nonceAndExpiry(of: session) else { return false }
        return try await !environment.store.isSessionRevoked(nonce: nonce)
    }

    static func render(_ template: String, _ fields: [String: Any]) -> String {
        DashboardTemplates.library.render(fields, withTemplate: template) ?? ""
    }

    static func html(_ status: HTTPResponse.Status, _ body: String, cookie: String? = nil) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func redirect(_ location: String, notice: String? = nil) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        if let notice { headers[.setCookie] = flashCookie(notice) }
        return Response(status: .seeOther, headers: headers)
    }

    static func session(in request: Request) -> String? {
        cookie(DashboardAuth.cookieName, in: request)
    }

    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == name { return String(parts[1]) }
            }
        }
        return nil
    }

    static func queryEscaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }


    /// The `Set-Cookie` that carries `notice` to the next page (or, for `nil`, clears it):
    /// HttpOnly and SameSite=Strict, so no other site can put words on a trusted page.
    static func flashCookie(_ notice: String?) -> String {
        let value = notice.map(queryEscaped) ?? ""
        return "\(flashCookieName)=\(value); Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=\(notice == nil ? 0 : 60)"
    }

    /// The notice a redirect left for this page, if any.
    static func flash(in request: Request) -> String? {
        guard let value = cookie(flashCookieName, in: request), !value.isEmpty else { return nil }
        return value.removingPercentEncoding.map { String($0.prefix(500)) }
    }

    /// `GET /dashboard/app.js`.
    static func script() -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache",
                      HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: DashboardScript.source)))
    }
}
