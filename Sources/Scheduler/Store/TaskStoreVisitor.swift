/// Builds something that needs a store's own dialect, such as the handlers' domain store
/// or the benchmark's plain SQL, without casting a ``TaskStore`` to its concrete type.
///
/// Each store calls the method for its own type from ``TaskStore/accept(_:)``, so a new
/// store adds a method here and every visitor that does not handle it stops compiling.
public protocol TaskStoreVisitor {
    associatedtype Output

    func visit(_ store: PostgresTaskStore) -> Output
    func visit(_ store: SQLiteTaskStore) -> Output
}
