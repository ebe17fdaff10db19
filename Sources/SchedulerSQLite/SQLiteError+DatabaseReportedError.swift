import SQLiteNIO
import Scheduler

/// SQLite's errors already say what went wrong without bound values.
extension SQLiteError: DatabaseReportedError {
    package var operatorDescription: String { description }

    package var isMissingSchema: Bool {
        message.hasPrefix("no such table") || message.hasPrefix("no such column")
    }
}
