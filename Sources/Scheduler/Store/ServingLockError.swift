/// Another server already serves a database that allows only one (a SQLite file).
public struct ServingLockError: Error, CustomStringConvertible {
    /// The database, as ``TaskStore/location`` gives it.
    public let location: String
    /// What the lock file says about its holder, e.g. "pid 4242".
    public let holder: String

    package init(location: String, holder: String) {
        self.location = location
        self.holder = holder
    }

    public var description: String {
        "another agent-scheduler serve (\(holder)) is already using \(location): run one server per SQLite file, "
            + "or use PostgreSQL (DATABASE_URL=postgres://…) for several"
    }
}
