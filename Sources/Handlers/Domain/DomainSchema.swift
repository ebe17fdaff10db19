import Scheduler

/// The tables the handlers act on (`users`, `conversations`, `messages`, `events`): the
/// Handlers module owns them and contributes their migrations to the engine's runner.
public struct DomainSchema: SchemaModule {
    public init() {}

    public var track: String { "handlers" }

    public func migrations(for database: DatabaseKind) -> [Migration] {
        switch database {
        case .postgresql: PostgresDomainMigrations.all
        case .sqlite: SQLiteDomainMigrations.all
        }
    }
}
