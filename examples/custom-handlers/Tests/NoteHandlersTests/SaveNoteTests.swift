import Foundation
import Logging
import NoteHandlers
import Scheduler
import SchedulerService
import Testing

/// The handler as the scheduler runs it: enqueued, claimed, and its note in its table.
@Suite("save_note", .timeLimit(.minutes(1)))
struct SaveNoteTests {
    @Test("a save_note task writes its note to the notes table, once, and completes with the note's id")
    func savesNote() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("notes-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let logger = Logger(label: "notes-test")
        try await StoreFactory.withStore(url: path, logger: logger) { store in
            try await store.migrate(modules: NoteHandlers.set.schema)
            let registry = try HandlerRegistry(NoteHandlers.set.handlers(for: store))
            let now = Date()
            let context = #"{"text": "prefers mornings"}"#
            let new = NewTask(taskType: "save_note", scheduledFor: now, contextJSON: context)
            try registry.validate(new)
            let task = try await store.enqueue(new, now: now).task
            let engine = Engine(
                store: store, registry: registry, configuration: EngineConfiguration(workerID: "notes-test"), logger: logger)
            let records = await engine.runUntilIdle()
            #expect(records.map(\.outcome.word) == ["completed"])
            let finished = try #require(try await store.task(id: task.id))
            #expect(finished.resultJSON == #"{"note_id":"\#(task.id.uuidString.lowercased())"}"#)
            #expect(try await NoteStores.make(for: store).text(id: task.id) == "prefers mornings")
        }
    }

    @Test("a blank note is refused at enqueue, naming the field")
    func refusesBlank() async throws {
        let registry = try HandlerRegistry([SaveNote(notes: UnusedNotes())])
        #expect(throws: SchedulerError.self) {
            try registry.validate(NewTask(taskType: "save_note", scheduledFor: Date(), contextJSON: #"{"text": "  "}"#))
        }
    }
}

/// A note store the refused task never reaches.
private struct UnusedNotes: NoteStore {
    func save(id: UUID, userID: UUID?, text: String, at: Date) async throws {}
    func text(id: UUID) async throws -> String? { nil }
}
