import Crypto
import Foundation
import Scheduler

/// The signature a receiver checks: `Webhook-Signature: sha256=<hex>`, the HMAC-SHA256
/// of `<Webhook-Timestamp>.<body>` keyed with `WEBHOOK_SECRET`, so a receiver can tell
/// the body is ours and recent (reject old timestamps to stop replays).
public struct WebhookSignature: Sendable {
    let key: SymmetricKey

    public init(secret: String) {
        key = SymmetricKey(data: Data(secret.utf8))
    }

    /// The header value for `body` sent at `timestamp` (Unix seconds).
    public func header(timestamp: Int, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: key)
        return "sha256=" + mac.hexString
    }
}
