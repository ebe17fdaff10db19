import Foundation

/// How final states are told by webhook: the deployment's subscriptions
/// (`WEBHOOK_URLS`), the signing secret (`WEBHOOK_SECRET`), the address policy
/// (`WEBHOOK_ALLOW_PRIVATE_ADDRESSES`), each send's timeout (`WEBHOOK_TIMEOUT_MS`) and
/// how long a delivery is retried before it is given up (`WEBHOOK_RETRY_WINDOW_SECONDS`).
public struct WebhookConfiguration: Sendable {
    public var subscriptions: WebhookSubscriptions
    /// The HMAC key of `Webhook-Signature`; without one, webhooks go unsigned.
    public var secret: String?
    public var policy: WebhookAddressPolicy
    public var timeout: Duration
    public var retryWindow: Duration
    /// The longest wait between two sends of one delivery; waits double from a second.
    public var maximumBackoff: Duration

    public init(
        subscriptions: WebhookSubscriptions = .none, secret: String? = nil, allowPrivateAddresses: Bool = false,
        timeout: Duration = .seconds(10), retryWindow: Duration = .seconds(86_400), maximumBackoff: Duration = .seconds(300)
    ) {
        self.subscriptions = subscriptions
        self.secret = secret
        self.policy = WebhookAddressPolicy(allowPrivateAddresses: allowPrivateAddresses)
        self.timeout = timeout
        self.retryWindow = retryWindow
        self.maximumBackoff = maximumBackoff
    }

    /// What logs may show: how many subscriptions, whether a secret is set.
    public var redactedDescription: String {
        "WebhookConfiguration(secret: \(Redaction.presence(secret)), private addresses allowed: \(policy.allowPrivateAddresses))"
    }

    /// Refuses a task whose `callback_url` cannot be used, naming the field.
    public func checkCallbackURL(of task: NewTask) throws(SchedulerError) {
        guard let url = task.callbackURL else { return }
        do {
            try policy.checkAtEnqueue(url)
        } catch {
            throw .invalidInput(field: "callback_url", reason: error.problem)
        }
    }

    /// The wait before the next send of a delivery sent `attempts` times: 1 s, doubling,
    /// at most ``maximumBackoff``.
    package func backoff(afterAttempts attempts: Int) -> Duration {
        min(.seconds(1) * (1 << min(max(attempts - 1, 0), 20)), maximumBackoff)
    }
}

extension WebhookConfiguration: RedactedDescription {}
