import Foundation
import NIOCore
import Scheduler

/// One frame of a `text/event-stream` response: an optional id, an event name and one
/// line of JSON data, or a comment (what keeps proxies from closing a quiet stream).
enum ServerSentEvent {
    /// A named event whose data is `value` as one line of JSON.
    static func frame(id: UInt64? = nil, event: String, _ value: some Encodable) throws -> ByteBuffer {
        var text = ""
        if let id { text += "id: \(id)\n" }
        text += "event: \(event)\ndata: \(try JSONText.encode(value))\n\n"
        return ByteBuffer(string: text)
    }

    /// A task event, with its sequence as the id a client resumes from.
    static func frame(_ event: TaskEvent) throws -> ByteBuffer {
        try frame(id: event.sequence, event: event.kind.rawValue, TaskEventRepresentation(event: event))
    }

    /// A comment line, which clients ignore.
    static func comment(_ text: String) -> ByteBuffer {
        ByteBuffer(string: ": \(text)\n\n")
    }

    /// What `stream.reset` and `stream.dropped` say.
    struct Notice: Encodable {
        var reason: String
    }
}
