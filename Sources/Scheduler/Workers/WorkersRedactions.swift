/// The descriptions swift-service-lifecycle prints when it starts and stops each service
/// (at debug level), and any log line or error interpolating one of these values: names,
/// never the secrets or registries a default description would list field by field.
extension LeaseKey: RedactedDescription {
    package var redactedDescription: String { "LeaseKey(***)" }
}

extension LeaseToken: RedactedDescription {
    package var redactedDescription: String { "LeaseToken(attempt: \(attempt), worker: \(workerID), signature: ***)" }
}
