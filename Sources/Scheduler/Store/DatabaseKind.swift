/// Which database a ``TaskStore`` runs on, for what callers show or branch on without
/// knowing the store's type: `/health`, the benchmark report, a module's migrations.
public enum DatabaseKind: String, Sendable, CaseIterable {
    case postgresql
    case sqlite
}
