import Foundation
import Hummingbird
import Logging
import NoteHandlers
import Scheduler
import SchedulerService

/// An application of its own that runs the scheduler inside it: `POST /notes` enqueues a
/// `save_note` task through the typed client, and the scheduler, a member of the
/// application's service group, runs it. SIGTERM drains both.
@main
struct NotesApp {
    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        let logger = Logger(label: "notes-app")
        let store = try await StoreFactory.open(url: environment["DATABASE_URL"] ?? "notes.sqlite", logger: logger)
        let scheduler = try AgentScheduler(
            store: store, handlers: NoteHandlers.set, configuration: SchedulerConfiguration(), logger: logger)
        let tasks = TaskClient(store: store)
        let router = Router()
        router.post("/notes") { request, context -> String in
            let note = try await request.decode(as: SaveNote.Context.self, context: context)
            let enqueued = try await tasks.enqueue(SaveNote.self, context: note)
            return enqueued.task.id.uuidString.lowercased()
        }
        let port = Int(environment["PORT"] ?? "") ?? 8090
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            services: [store, scheduler], logger: logger)
        try await application.runService()
    }
}
