/// An error of a database driver that can describe itself for the operator's log
/// without the bound values of the query that failed.
package protocol DatabaseReportedError: Error {
    var operatorDescription: String { get }
    /// Whether the database says a table or function it was asked for does not exist.
    var isMissingSchema: Bool { get }
}
