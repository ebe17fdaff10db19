import Scheduler
import SchedulerService

/// This package's handler set: the engine's built-ins and `save_note`, with the `notes`
/// table they need.
public enum NoteHandlers {
    public static let set = HandlerSet(schema: [NotesSchema()]) { store in
        HandlerSet.builtIns + [SaveNote(notes: try NoteStores.make(for: store))]
    }
}
