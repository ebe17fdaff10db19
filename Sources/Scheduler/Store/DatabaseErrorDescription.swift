/// A database error as the operator's log should show it.
///
/// Drivers' errors often print one generic line on purpose, since their full form
/// carries the query's bound values; a dialect makes its errors ``DatabaseReportedError``
/// to say what the server said instead, bound values left out.
package enum DatabaseErrorDescription {
    package static func describe(_ error: any Error) -> String {
        (error as? any DatabaseReportedError)?.operatorDescription ?? "\(error)"
    }
}
