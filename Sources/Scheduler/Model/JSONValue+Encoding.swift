import Foundation

extension JSONValue {
    /// `value` as the HTTP API encodes it, as a JSON value (for tool results and pages
    /// that show the API's JSON).
    package init(encoding value: some Encodable) throws {
        guard let json = JSONValue(parsing: try JSONText.encode(value)) else {
            throw SchedulerError.invalidInput(field: "result", reason: "could not be encoded as JSON")
        }
        self = json
    }
}
