import Foundation
import SQLiteNIO
import SchedulerSQLite

/// Notes in the scheduler's SQLite file, on its connection.
struct SQLiteNoteStore: NoteStore {
    let store: SQLiteTaskStore

    func save(id: UUID, userID: UUID?, text: String, at: Date) async throws {
        _ = try await store.query(
            "INSERT INTO notes (id, user_id, text, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING",
            [.text(id.uuidString.lowercased()), userID.map { .text($0.uuidString.lowercased()) } ?? .null, .text(text),
             .text(ISO8601DateFormatter().string(from: at))])
    }

    func text(id: UUID) async throws -> String? {
        try await store.query("SELECT text FROM notes WHERE id = ?1", [.text(id.uuidString.lowercased())])
            .first?.column("text")?.string
    }
}
