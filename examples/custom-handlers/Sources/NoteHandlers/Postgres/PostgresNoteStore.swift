import Foundation
import PostgresNIO
import SchedulerPostgres

/// Notes in the scheduler's PostgreSQL database, on its connection pool.
struct PostgresNoteStore: NoteStore {
    let store: PostgresTaskStore

    func save(id: UUID, userID: UUID?, text: String, at: Date) async throws {
        _ = try await store.query(
            "INSERT INTO notes (id, user_id, text, created_at) VALUES (\(id), \(userID), \(text), \(at)) ON CONFLICT (id) DO NOTHING")
    }

    func text(id: UUID) async throws -> String? {
        for try await text in try await store.query("SELECT text FROM notes WHERE id = \(id)").decode(String.self) {
            return text
        }
        return nil
    }
}
