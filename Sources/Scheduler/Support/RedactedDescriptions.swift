/// The descriptions swift-service-lifecycle prints when it starts and stops each service
/// (at debug level), and any log line or error interpolating one of these values: names,
/// never the secrets or registries a default description would list field by field.
extension SchedulerConfiguration: RedactedDescription {
    var redactedDescription: String {
        "SchedulerConfiguration(database: \(Redaction.url(databaseURL)), host: \(host), port: \(port), "
            + "API token: \(Redaction.presence(apiToken)), webhook secret: \(Redaction.presence(webhooks.secret)))"
    }
}

extension WebhookSignature: RedactedDescription {
    var redactedDescription: String { "WebhookSignature(key: ***)" }
}

extension LeaseKey: RedactedDescription {
    var redactedDescription: String { "LeaseKey(***)" }
}

extension LeaseToken: RedactedDescription {
    var redactedDescription: String { "LeaseToken(attempt: \(attempt), worker: \(workerID), signature: ***)" }
}

extension DashboardAuth: RedactedDescription {
    var redactedDescription: String { "DashboardAuth(token: \(Redaction.presence(token)))" }
}

extension BearerTokenMiddleware: RedactedDescription {
    var redactedDescription: String { "BearerTokenMiddleware(token: ***)" }
}

extension HandlerRegistry: RedactedDescription {
    var redactedDescription: String { "HandlerRegistry(\(taskTypes.count) task types)" }
}

extension APIEnvironment: RedactedDescription {
    var redactedDescription: String { "APIEnvironment" }
}

extension Engine: RedactedDescription {
    var redactedDescription: String { "Engine(\(configuration.workerID))" }
}

extension Rescuer: RedactedDescription {
    var redactedDescription: String { "Rescuer" }
}

extension WebhookDispatcher: RedactedDescription {
    var redactedDescription: String { "WebhookDispatcher" }
}

extension WebhookSender: RedactedDescription {
    var redactedDescription: String { "WebhookSender" }
}

extension ScheduleTicker: RedactedDescription {
    var redactedDescription: String { "ScheduleTicker" }
}

extension Pruner: RedactedDescription {
    var redactedDescription: String { "Pruner" }
}

extension PostgresWakeListener: RedactedDescription {
    var redactedDescription: String { "PostgresWakeListener" }
}

extension SQLiteChangeWatcher: RedactedDescription {
    var redactedDescription: String { "SQLiteChangeWatcher" }
}

extension PostgresTaskStore: RedactedDescription {
    var redactedDescription: String { "PostgresTaskStore(\(location))" }
}

extension SQLiteTaskStore: RedactedDescription {
    var redactedDescription: String { "SQLiteTaskStore(\(location))" }
}

extension BoundedTaskStore: RedactedDescription {
    var redactedDescription: String { "BoundedTaskStore(\(inner.location))" }
}
