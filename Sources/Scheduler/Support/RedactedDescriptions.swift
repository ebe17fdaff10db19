/// The descriptions swift-service-lifecycle prints when it starts and stops each service
/// (at debug level), and any log line or error interpolating one of these values: names,
/// never the secrets or registries a default description would list field by field.
extension SchedulerConfiguration: RedactedDescription {
    package var redactedDescription: String {
        "SchedulerConfiguration(database: \(Redaction.url(databaseURL)), host: \(host), port: \(port), "
            + "API token: \(Redaction.presence(apiToken)), webhook secret: \(Redaction.presence(webhooks.secret)))"
    }
}

extension LeaseKey: RedactedDescription {
    package var redactedDescription: String { "LeaseKey(***)" }
}

extension LeaseToken: RedactedDescription {
    package var redactedDescription: String { "LeaseToken(attempt: \(attempt), worker: \(workerID), signature: ***)" }
}

extension HandlerRegistry: RedactedDescription {
    package var redactedDescription: String { "HandlerRegistry(\(taskTypes.count) task types)" }
}

extension Engine: RedactedDescription {
    package var redactedDescription: String { "Engine(\(configuration.workerID))" }
}

extension Rescuer: RedactedDescription {
    package var redactedDescription: String { "Rescuer" }
}

extension ScheduleTicker: RedactedDescription {
    package var redactedDescription: String { "ScheduleTicker" }
}

extension Pruner: RedactedDescription {
    package var redactedDescription: String { "Pruner" }
}

extension BoundedTaskStore: RedactedDescription {
    package var redactedDescription: String { "BoundedTaskStore(\(inner.location))" }
}
