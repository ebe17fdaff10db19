/// A set of schema modules that cannot be migrated together.
public enum SchemaModuleError: Error, CustomStringConvertible, Equatable {
    /// Two modules, or a module and the engine, claim the same track.
    case duplicateTrack(String)

    public var description: String {
        switch self {
        case .duplicateTrack(let track):
            "two schema modules use the migration track '\(track)' (the engine's is '\(SchedulerSchema.track)'); give each module a track of its own"
        }
    }
}
