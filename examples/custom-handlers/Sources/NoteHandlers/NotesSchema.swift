import Scheduler

/// The `notes` table, migrated on a track of its own (`notes`) after the engine's tables
/// by `migrate` and `serve`.
public struct NotesSchema: SchemaModule {
    public init() {}

    public var track: String { "notes" }

    public func migrations(for database: DatabaseKind) -> [Migration] {
        switch database {
        case .postgresql:
            [Migration(version: 1, name: "notes", statements: ["""
                CREATE TABLE notes (
                    id UUID PRIMARY KEY,
                    user_id UUID,
                    text TEXT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL
                )
                """])]
        case .sqlite:
            [Migration(version: 1, name: "notes", statements: ["""
                CREATE TABLE notes (
                    id TEXT PRIMARY KEY,
                    user_id TEXT,
                    text TEXT NOT NULL,
                    created_at TEXT NOT NULL
                )
                """])]
        }
    }
}
