import Foundation

/// Where ``SaveNote`` writes: the `notes` table, in the dialect of the scheduler's database.
public protocol NoteStore: Sendable {
    /// Writes a note, or leaves the one already written under `id`.
    func save(id: UUID, userID: UUID?, text: String, at: Date) async throws

    /// The text of the note `id`, if there is one.
    func text(id: UUID) async throws -> String?
}
