import SQLiteNIO

/// SQLite's errors already say what went wrong without bound values.
extension SQLiteError: DatabaseReportedError {
    var operatorDescription: String { description }

    var isMissingSchema: Bool {
        message.hasPrefix("no such table") || message.hasPrefix("no such column")
    }
}
