/// An error of a database driver that can describe itself for the operator's log
/// without the bound values of the query that failed.
protocol DatabaseReportedError: Error {
    var operatorDescription: String { get }
}
