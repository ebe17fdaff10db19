import Scheduler
import SchedulerPostgres
import SchedulerSQLite

/// Builds something that needs a store's own dialect, such as the handlers' domain store
/// or the benchmark's plain SQL, without casting a ``TaskStore`` to its concrete type.
///
/// ``TaskStore/accept(_:)`` calls the method for the store's own type, so a new dialect
/// adds a method here and every visitor that does not handle it stops compiling.
public protocol TaskStoreVisitor {
    associatedtype Output

    func visit(_ store: PostgresTaskStore) -> Output
    func visit(_ store: SQLiteTaskStore) -> Output
}

/// A store of a dialect no visitor knows: one an embedder wrote, not opened by
/// ``StoreFactory``.
public struct UnknownStoreError: Error, CustomStringConvertible {
    /// The store's location, as it describes itself.
    public let location: String

    public var description: String {
        "the store at \(location) is neither PostgreSQL nor SQLite; code that needs a dialect of its own cannot use it"
    }
}

extension TaskStore {
    /// Calls the visitor's method for the type of the store underneath any wrapper.
    public func accept<Visitor: TaskStoreVisitor>(_ visitor: Visitor) throws(UnknownStoreError) -> Visitor.Output {
        switch underlyingStore {
        case let store as PostgresTaskStore: visitor.visit(store)
        case let store as SQLiteTaskStore: visitor.visit(store)
        default: throw UnknownStoreError(location: location)
        }
    }
}
