import Foundation

extension UUID {
    /// The canonical lowercase text form, as PostgreSQL prints UUIDs and as the SQLite
    /// store keeps them; used wherever an id appears in JSON or logs.
    public var lowercasedString: String { uuidString.lowercased() }
}
