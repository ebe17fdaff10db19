/// A module that owns tables beside the engine's, such as the handlers' domain tables.
///
/// ``TaskStore/migrate(modules:)`` applies the engine's migrations first and then each
/// module's, on a version track of the module's own (`schema_migrations.track`), so an
/// embedder who registers no module gets only the engine's tables.
public protocol SchemaModule: Sendable {
    /// The module's track in `schema_migrations`; never `scheduler`, the engine's.
    var track: String { get }

    /// The module's migrations in the dialect of `database`, oldest first.
    func migrations(for database: DatabaseKind) -> [Migration]
}
