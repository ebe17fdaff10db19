import Foundation
import Scheduler

/// Stores an agent's note about a user in this package's own `notes` table.
public struct SaveNote: TaskHandler {
    public struct Context: Codable, Sendable {
        public var text: String

        public init(text: String) {
            self.text = text
        }
    }

    public struct Result: Codable, Sendable {
        /// The note's id, lowercase as every id the scheduler shows.
        public var noteID: String

        enum CodingKeys: String, CodingKey {
            case noteID = "note_id"
        }
    }

    public static let taskType = "save_note"
    public static let taskDescription = "Saves a note about the task's user (or about nobody) in the notes table."
    public static let contextSchema = ContextSchema.object([
        .string("text", "The note, up to 2,000 characters.", required: true, nonBlank: true, maxLength: 2_000)
    ])

    let notes: any NoteStore

    public init(notes: any NoteStore) {
        self.notes = notes
    }

    /// What the schema says and decoding alone does not check: a note of only white space.
    public static func validate(_ context: Context) throws {
        if context.text.allSatisfy(\.isWhitespace) {
            throw HandlerError.permanent("context field 'text' is blank")
        }
    }

    public func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        // The task's id as the note's: a retried attempt finds the note it already wrote.
        let id = invocation.task.id
        try await notes.save(id: id, userID: invocation.task.userID, text: context.text, at: Date())
        return Result(noteID: id.uuidString.lowercased())
    }
}
