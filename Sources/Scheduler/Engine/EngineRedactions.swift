/// The descriptions swift-service-lifecycle prints when it starts and stops each service
/// (at debug level), and any log line or error interpolating one of these values: names,
/// never the secrets or registries a default description would list field by field.
extension Engine: RedactedDescription {
    package var redactedDescription: String { "Engine(\(configuration.workerID))" }
}

extension Rescuer: RedactedDescription {
    package var redactedDescription: String { "Rescuer" }
}
