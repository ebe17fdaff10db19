/// Which migrations a database still needs: the engine's track first, then each
/// module's in the order given, each track's versions in ascending order.
package struct MigrationPlan {
    /// A migration to apply, with the track it belongs to.
    package struct Step {
        package let track: String
        package let migration: Migration
    }

    let tracks: [(name: String, migrations: [Migration])]

    /// The engine's migrations for `database` (`engine`) and the modules'.
    package init(engine: [Migration], modules: [any SchemaModule], database: DatabaseKind) throws(SchemaModuleError) {
        var names: Set<String> = [SchedulerSchema.track]
        var tracks = [(name: SchedulerSchema.track, migrations: engine)]
        for module in modules {
            guard names.insert(module.track).inserted else { throw SchemaModuleError.duplicateTrack(module.track) }
            tracks.append((module.track, module.migrations(for: database)))
        }
        self.tracks = tracks
    }

    /// The steps not in `applied`, in the order they must run.
    package func pending(applied: Set<AppliedMigration>) -> [Step] {
        tracks.flatMap { track in
            track.migrations
                .sorted { $0.version < $1.version }
                .filter { !applied.contains(AppliedMigration(track: track.name, version: $0.version)) }
                .map { Step(track: track.name, migration: $0) }
        }
    }
}
