import Foundation
import SQLiteNIO
import Scheduler

/// How the SQLite stores write model values and read them back: UUIDs as lowercase
/// text, times as ``Timestamp`` text, JSON as text. Shared by the task store and the
/// handlers' domain store so both read the file the same way.
public enum SQLiteValue {
    // MARK: Binding values

    public static func bind(_ value: String?) -> SQLiteData { value.map { .text($0) } ?? .null }
    public static func bind(_ value: Int) -> SQLiteData { .integer(SQLiteInt64(value)) }
    public static func bind(_ value: UUID?) -> SQLiteData { value.map { .text($0.lowercasedString) } ?? .null }
    public static func bind(_ value: Date?) -> SQLiteData { value.map { .text(Timestamp.string(from: $0)) } ?? .null }

    /// A JSON array of values, for `IN (SELECT value FROM json_each(?))`.
    public static func bindList(_ values: [String]) -> SQLiteData {
        .text((try? JSONText.encode(values)) ?? "[]")
    }

    public static func bindList(_ ids: [UUID]) -> SQLiteData {
        bindList(ids.map { $0.lowercasedString })
    }

    // MARK: Reading values

    public static func optionalString(_ row: SQLiteRow, _ column: String) -> String? {
        guard let data = row.column(column), !data.isNull else { return nil }
        return data.string
    }

    public static func string(_ row: SQLiteRow, _ column: String) throws -> String {
        try optionalString(row, column).orThrow(StoreDecodingError(column: column, value: "NULL"))
    }

    public static func int(_ row: SQLiteRow, _ column: String) throws -> Int {
        guard let value = row.column(column)?.integer else {
            throw StoreDecodingError(column: column, value: row.column(column)?.description ?? "NULL")
        }
        return Int(value)
    }

    public static func optionalUUID(_ row: SQLiteRow, _ column: String) throws -> UUID? {
        guard let text = optionalString(row, column) else { return nil }
        return try UUID(canonicalText: text).orThrow(StoreDecodingError(column: column, value: text))
    }

    public static func uuid(_ row: SQLiteRow, _ column: String) throws -> UUID {
        try optionalUUID(row, column).orThrow(StoreDecodingError(column: column, value: "NULL"))
    }

    public static func optionalDate(_ row: SQLiteRow, _ column: String) throws -> Date? {
        guard let text = optionalString(row, column) else { return nil }
        return try Timestamp.date(from: text).orThrow(StoreDecodingError(column: column, value: text))
    }

    public static func date(_ row: SQLiteRow, _ column: String) throws -> Date {
        try optionalDate(row, column).orThrow(StoreDecodingError(column: column, value: "NULL"))
    }
}
