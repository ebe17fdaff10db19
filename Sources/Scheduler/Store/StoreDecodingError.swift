/// A row the store read back that does not fit the model: a status or priority the
/// schema should have rejected, a timestamp in no format it knows, or a column list and
/// its reader that disagree.
package struct StoreDecodingError: Error, CustomStringConvertible {
    let column: String
    let problem: String

    package init(column: String, value: String) {
        self.column = "agent_tasks.\(column)"
        self.problem = "holds an unexpected value '\(value)'"
    }

    package init(column: String, problem: String) {
        self.column = column
        self.problem = problem
    }

    package var description: String { "\(column) \(problem)" }
}
