import Scheduler

/// The descriptions swift-service-lifecycle prints when it starts and stops each service
/// (at debug level), and any log line or error interpolating one of these values: names,
/// never the secrets or registries a default description would list field by field.
extension WebhookSignature: RedactedDescription {
    package var redactedDescription: String { "WebhookSignature(key: ***)" }
}

extension WebhookDispatcher: RedactedDescription {
    package var redactedDescription: String { "WebhookDispatcher" }
}

extension WebhookSender: RedactedDescription {
    package var redactedDescription: String { "WebhookSender" }
}
