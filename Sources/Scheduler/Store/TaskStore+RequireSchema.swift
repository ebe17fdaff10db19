import Foundation

extension TaskStore {
    /// Fails with ``MissingSchemaError`` unless the store's schema is this build's: reads
    /// the task table and the newest one, which touch nothing.
    public func requireSchema() async throws {
        do {
            _ = try await nextDueDate(taskTypes: ["-"])
            _ = try await isSessionRevoked(nonce: "-")
        } catch where MissingSchemaError.isMissingSchema(error) {
            throw MissingSchemaError(location: location)
        }
    }
}
