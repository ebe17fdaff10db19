import AsyncHTTPClient
import Foundation
import Logging
import Scheduler
import ServiceLifecycle
import Synchronization

/// Sends the outbox's webhooks: claims due deliveries under a lease (so each is sent by
/// one dispatcher at a time, however many instances run), sends them, and records each
/// result: delivered on 2xx, otherwise sent again after 1 s, 2 s, 4 s … (at most
/// ``WebhookConfiguration/maximumBackoff``) until the retry window since the final state
/// has passed, then failed. A URL refused by the address policy fails at once.
///
/// Up to ``concurrency`` sends are in flight at once, and a finished one frees its slot
/// for the next claim, so a receiver that times out holds up only its own deliveries.
/// Woken by this process's final events and finished sends, and looking once a second
/// for those of other instances and for retries that came due.
public struct WebhookDispatcher: Service {
    let store: any TaskStore
    let configuration: WebhookConfiguration
    let dispatcherID: String
    let clock: any WallClock
    let metrics: SchedulerMetrics?
    let logger: Logger
    let wake = WakeSignal()

    /// The most sends in flight at once (and the most one claim takes).
    static let concurrency = 20
    /// How often the outbox is looked at when nothing wakes the dispatcher.
    static let lookInterval = Duration.seconds(1)

    public init(
        store: any TaskStore, configuration: WebhookConfiguration, dispatcherID: String,
        clock: any WallClock = SystemClock(), metrics: SchedulerMetrics? = nil, logger: Logger
    ) {
        self.store = store
        self.metrics = metrics
        self.configuration = configuration
        self.dispatcherID = dispatcherID
        self.clock = clock
        self.logger = logger
    }

    public func run() async {
        // A final state in this process wakes the dispatcher, while it runs.
        let observation = store.events.observe { [wake] event in
            if event.isLocal, event.isFinal { wake.signal() }
        }
        defer { observation.end() }
        let client = WebhookSender.makeClient(configuration: configuration)
        let sender = WebhookSender(client: client, configuration: configuration, signature: configuration.secret.map(WebhookSignature.init))
        let inFlight = SendCount()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                while !Task.isCancelled {
                    let free = Self.concurrency - inFlight.value
                    let deliveries = free > 0 ? await claim(limit: free) : []
                    for delivery in deliveries {
                        inFlight.add(1)
                        group.addTask {
                            await self.deliver(delivery, with: sender)
                            inFlight.add(-1)
                            self.wake.signal()
                        }
                    }
                    if deliveries.isEmpty { await wake.wait(timeout: Self.lookInterval) }
                }
            }
        }
        try? await client.shutdown()
    }

    /// Claims and sends one batch, waiting for every send; returns how many were sent.
    @discardableResult
    func dispatchOnce(with sender: WebhookSender) async -> Int {
        let deliveries = await claim(limit: Self.concurrency)
        await withDiscardingTaskGroup { group in
            for delivery in deliveries {
                group.addTask { await self.deliver(delivery, with: sender) }
            }
        }
        return deliveries.count
    }

    /// Claims up to `limit` due deliveries under a lease longer than a send can take;
    /// none when the database does not answer.
    private func claim(limit: Int) async -> [WebhookDelivery] {
        let now = clock.now
        let lease = configuration.timeout + .seconds(30)
        do {
            return try await store.claimDeliveries(
                limit: limit, dispatcherID: dispatcherID, leaseUntil: now.addingTimeInterval(lease.timeInterval), now: now)
        } catch {
            if !Task.isCancelled {
                logger.warning("could not read the webhook outbox; will try again", metadata: [
                    "error": "\(DatabaseErrorDescription.describe(error))",
                ])
            }
            return []
        }
    }

    private func deliver(_ delivery: WebhookDelivery, with sender: WebhookSender) async {
        let outcome = await sender.send(delivery, now: clock.now)
        let now = clock.now
        let result: WebhookAttemptResult
        switch outcome {
        case .answered(let code) where (200..<300).contains(code):
            result = .delivered(statusCode: code, at: now)
        case .answered(let code):
            result = retry(delivery, code: code, error: "HTTP \(code)", now: now)
        case .unreachable(let error):
            result = retry(delivery, code: nil, error: String(error.prefix(WebhookSender.errorExcerpt)), now: now)
        case .refused(let problem):
            result = .failed(statusCode: nil, error: "refused: \(problem)", at: now)
        }
        metrics?.webhookSent(result)
        var metadata: Logger.Metadata = [
            "delivery_id": "\(delivery.id)", "task_id": "\(delivery.taskID.lowercasedString)", "url": "\(delivery.url)",
        ]
        switch result {
        case .delivered: logger.debug("webhook delivered", metadata: metadata)
        case .retry(_, let error, _, let at):
            metadata["error"] = "\(error)"
            metadata["retry_at"] = "\(Timestamp.string(from: at))"
            logger.warning("webhook not delivered; will try again", metadata: metadata)
        case .failed(_, let error, _):
            metadata["error"] = "\(error)"
            logger.error("webhook given up", metadata: metadata)
        }
        do {
            try await store.recordDelivery(id: delivery.id, dispatcherID: dispatcherID, result: result)
        } catch {
            logger.error("could not record a webhook's result; it will be sent again when its lease ends", metadata: [
                "delivery_id": "\(delivery.id)", "error": "\(DatabaseErrorDescription.describe(error))",
            ])
        }
    }

    /// A retry after the backoff, or the end once the retry window has passed.
    private func retry(_ delivery: WebhookDelivery, code: Int?, error: String, now: Date) -> WebhookAttemptResult {
        let next = now.addingTimeInterval(configuration.backoff(afterAttempts: delivery.attempts + 1).timeInterval)
        guard next < delivery.createdAt.addingTimeInterval(configuration.retryWindow.timeInterval) else {
            return .failed(statusCode: code, error: error, at: now)
        }
        return .retry(statusCode: code, error: error, at: now, retryAt: next)
    }
}

/// How many sends are in flight, shared by the dispatcher's loop and its sends.
private final class SendCount: Sendable {
    private let count = Atomic(0)

    var value: Int { count.load(ordering: .relaxed) }

    func add(_ amount: Int) { count.add(amount, ordering: .relaxed) }
}
