import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Scheduler

/// The dashboard's sessions and CSRF tokens, kept in no table: a session is an expiry
/// and a nonce signed with a key derived from the API token, so every instance sharing
/// the token accepts it, and a CSRF token is the session signed again.
///
/// With a token set, the operator gives it once (`/dashboard/login`) and gets the
/// session cookie (HttpOnly, SameSite=Strict, and Secure when it came over HTTPS).
/// Without one the server listens on loopback only, and a visitor gets a session
/// without logging in, so that actions still carry a CSRF token bound to it.
struct DashboardAuth: Sendable {
    /// The token a login must give; `nil` when the API has none.
    let token: String?
    private let key: SymmetricKey

    static let cookieName = "agent_scheduler_session"
    /// How long a session lasts.
    static let lifetime: TimeInterval = 12 * 3_600

    init(apiToken: String?) {
        token = apiToken
        key = apiToken.map { SymmetricKey(data: SHA256.hash(data: Data("agent-scheduler dashboard session:\($0)".utf8))) }
            ?? SymmetricKey(size: .bits256)
    }

    /// Whether `candidate` is the API token, compared in constant time.
    func acceptsToken(_ candidate: String) -> Bool {
        guard let token else { return true }
        return HMAC<SHA256>.authenticationCode(for: Data(candidate.utf8), using: key)
            == HMAC<SHA256>.authenticationCode(for: Data(token.utf8), using: key)
    }

    /// A new session value, valid for ``lifetime`` from `now`.
    func newSession(now: Date) -> String {
        let expires = Int(now.timeIntervalSince1970 + Self.lifetime)
        let nonce = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }.hexString
        let body = "\(expires).\(nonce)"
        return "\(body).\(sign("session:\(body)"))"
    }

    /// Whether `session` was issued here (or by an instance with the same token) and has
    /// not expired.
    func isValid(session: String?, now: Date) -> Bool {
        guard let session else { return false }
        let parts = session.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let expires = Int(parts[0]), Double(expires) > now.timeIntervalSince1970 else { return false }
        return constantTimeEqual(sign("session:\(parts[0]).\(parts[1])"), String(parts[2]))
    }

    /// The nonce and expiry of a session value, for revoking it at logout.
    func nonceAndExpiry(of session: String) -> (nonce: String, expires: Date)? {
        let parts = session.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let expires = Int(parts[0]) else { return nil }
        return (String(parts[1]), Date(timeIntervalSince1970: TimeInterval(expires)))
    }

    /// The CSRF token every form of `session` carries.
    func csrfToken(for session: String) -> String {
        sign("csrf:\(session)")
    }

    /// Whether `candidate` is the CSRF token of `session`.
    func acceptsCSRF(_ candidate: String?, session: String) -> Bool {
        guard let candidate else { return false }
        return constantTimeEqual(csrfToken(for: session), candidate)
    }

    /// The `Set-Cookie` value that stores `session` for the dashboard's paths only, in
    /// answer to `request`: Secure when it came over HTTPS, so the browser never sends
    /// it over plain HTTP.
    static func cookie(_ session: String, for request: Request) -> String {
        "\(cookieName)=\(session); Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=\(Int(lifetime))"
            + (cameOverHTTPS(request) ? "; Secure" : "")
    }

    /// The `Set-Cookie` value that ends the session, in answer to `request`.
    static func expiredCookie(for request: Request) -> String {
        "\(cookieName)=; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=0" + (cameOverHTTPS(request) ? "; Secure" : "")
    }

    /// Whether the browser reached us over HTTPS: the server speaks plain HTTP, so that
    /// is what a TLS-terminating proxy in front (Cloud Run, a load balancer) says in
    /// `X-Forwarded-Proto`. A client that sends it falsely only makes its own cookie
    /// stricter.
    private static func cameOverHTTPS(_ request: Request) -> Bool {
        guard let name = HTTPField.Name("X-Forwarded-Proto"), let proto = request.headers[name] else { return false }
        return proto.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased() == "https"
    }

    private func sign(_ text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key).hexString
    }

    private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
