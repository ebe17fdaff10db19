/// One versioned step of the schema, as a list of SQL statements run in order.
///
/// Each store keeps its own list (the SQL dialects differ); both lists have the same
/// versions with the same meaning, and a version, once released, never changes.
struct Migration: Sendable {
    let version: Int
    let name: String
    let statements: [String]
}
