/// A row the store read back that does not fit the model: a status or priority the
/// schema should have rejected, or a timestamp in no format it knows.
struct StoreDecodingError: Error, CustomStringConvertible {
    let column: String
    let value: String

    var description: String { "agent_tasks.\(column) holds an unexpected value '\(value)'" }
}
