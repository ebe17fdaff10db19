/// Text on its way into the database, which cannot hold a NUL character: PostgreSQL
/// refuses one in `text` and `\u0000` in `jsonb`, and one refusal fails the whole
/// statement — a batch of results, or an enqueue with a 500.
///
/// What handlers produce (results, errors, progress) has NUL replaced by U+FFFD, so it
/// is stored whatever other systems handed them; what clients send is refused instead
/// (``SchedulerError/invalidInput(field:reason:)``), naming the field.
public enum StoredText {
    /// `text` with every NUL replaced by U+FFFD.
    public static func text(_ text: String) -> String {
        text.contains("\0") ? text.replacingOccurrences(of: "\0", with: "\u{FFFD}") : text
    }

    /// JSON text with every `\u0000` escape (and any raw NUL) replaced by U+FFFD's,
    /// other escapes left as they are.
    public static func json(_ json: String) -> String {
        guard json.contains("\\u0000") || json.contains("\0") else { return json }
        var output = ""
        var characters = json.makeIterator()
        while let character = characters.next() {
            switch character {
            case "\0":
                output.append("\u{FFFD}")
            case "\\":
                guard let escaped = characters.next() else {
                    output.append(character)
                    break
                }
                guard escaped == "u" else {
                    output.append(character)
                    output.append(escaped)
                    break
                }
                let hex = String((0..<4).compactMap { _ in characters.next() })
                output.append(hex == "0000" ? "\\ufffd" : "\\u" + hex)
            default:
                output.append(character)
            }
        }
        return output
    }

    /// Whether JSON text holds a NUL, escaped or raw.
    static func jsonHasNUL(_ json: String) -> Bool {
        json.contains("\0") || (json.contains("\\u0000") && self.json(json) != json)
    }

    /// Throws ``SchedulerError/invalidInput(field:reason:)`` naming the first field of
    /// `task` that holds a NUL.
    static func checkStorable(_ task: NewTask) throws(SchedulerError) {
        let fields: [(String, String?)] = [
            ("task_type", task.taskType), ("agent_type", task.agentType), ("context_type", task.contextType),
            ("created_by", task.createdBy), ("idempotency_key", task.idempotencyKey),
        ]
        for (field, value) in fields where value?.contains("\0") == true {
            throw .invalidInput(field: field, reason: nulReason)
        }
        if jsonHasNUL(task.contextJSON) { throw .invalidInput(field: "context", reason: nulReason) }
    }

    private static let nulReason = "contains a NUL character (\\u0000), which the database cannot store"
}
