/// A webhook host that did not resolve this time: a transport error like any other, so
/// the delivery is retried within `WEBHOOK_RETRY_WINDOW_SECONDS` (DNS hiccups pass).
struct WebhookResolutionError: Error, CustomStringConvertible {
    let host: String
    let reason: String

    var description: String { "could not resolve \(host): \(reason.lowercased())" }
}
