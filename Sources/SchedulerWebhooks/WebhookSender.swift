import AsyncHTTPClient
import Foundation
import NIOCore
import Scheduler

/// Sends one delivery: a JSON `POST` with `Webhook-Id`, `Webhook-Timestamp` and (with a
/// secret) `Webhook-Signature`, after the address policy passed, without following
/// redirects (a redirect could point inward), within the timeout. Any 2xx is delivered.
struct WebhookSender: Sendable {
    let client: HTTPClient
    let configuration: WebhookConfiguration
    let signature: WebhookSignature?

    /// The most of a receiver's answer kept as the delivery's last error.
    static let errorExcerpt = 300

    /// What sending `delivery` at `now` gave: the status code, or why there is none.
    enum Outcome {
        case answered(statusCode: Int)
        case refused(String)
        case unreachable(String)
    }

    func send(_ delivery: WebhookDelivery, now: Date) async -> Outcome {
        do {
            try await configuration.policy.checkBeforeSending(delivery.url)
        } catch let error as WebhookURLError {
            return .refused(error.problem)
        } catch {
            return .unreachable(WebhookTransportError.reason(error))
        }
        let timestamp = Int(now.timeIntervalSince1970)
        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "agent-scheduler/\(SchedulerVersion.current)")
        request.headers.add(name: "Webhook-Id", value: "\(delivery.id)")
        request.headers.add(name: "Webhook-Event", value: delivery.event)
        request.headers.add(name: "Webhook-Timestamp", value: "\(timestamp)")
        if let signature {
            request.headers.add(name: "Webhook-Signature", value: signature.header(timestamp: timestamp, body: delivery.payload))
        }
        request.body = .bytes(ByteBuffer(string: delivery.payload))
        do {
            let timeout = TimeAmount.milliseconds(Int64(configuration.timeout.timeInterval * 1000))
            let response = try await client.execute(request, timeout: timeout)
            // The receiver's body is read off the connection and dropped: only the status
            // is kept, so nothing a receiver says is reflected into the API.
            _ = try await response.body.collect(upTo: 64 * 1024)
            return .answered(statusCode: Int(response.status.code))
        } catch {
            return .unreachable(WebhookTransportError.reason(error))
        }
    }

    /// The client every send goes through: redirects refused, and a refused connection
    /// fails the send at once (the dispatcher retries on its own backoff) rather than
    /// being tried again until the timeout.
    static func makeClient(configuration: WebhookConfiguration) -> HTTPClient {
        var settings = HTTPClient.Configuration(redirectConfiguration: .disallow)
        settings.timeout.connect = .milliseconds(Int64(configuration.timeout.timeInterval * 1000))
        settings.connectionPool.retryConnectionEstablishment = false
        settings.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = WebhookDispatcher.concurrency
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
    }
}
