import Foundation
import Scheduler

extension String {
    /// The text without surrounding white space; throws a permanent failure naming the
    /// context `field` when nothing is left, at enqueue (`validate`) and at run alike.
    func nonBlank(field: String) throws -> String {
        let text = trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw HandlerError.permanent("context field '\(field)' is empty") }
        return text
    }
}
