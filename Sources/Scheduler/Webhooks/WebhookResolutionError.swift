/// A webhook host that did not resolve this time: a transport error like any other, so
/// the delivery is retried within `WEBHOOK_RETRY_WINDOW_SECONDS` (DNS hiccups pass).
package struct WebhookResolutionError: Error, CustomStringConvertible {
    package let host: String
    package let reason: String

    package var description: String { "could not resolve \(host): \(reason.lowercased())" }
}
