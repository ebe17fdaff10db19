/// The descriptions swift-service-lifecycle prints when it starts and stops each service
/// (at debug level), and any log line or error interpolating one of these values: names,
/// never the secrets or registries a default description would list field by field.
extension BoundedTaskStore: RedactedDescription {
    package var redactedDescription: String { "BoundedTaskStore(\(inner.location))" }
}
