import PostgresNIO
import Scheduler

/// Reads a row's cells in the order of the query's column list.
///
/// A claim decodes every column of hundreds of rows a second; looking each cell up by
/// name (PostgresNIO's random-access row) copied the row into an array and hashed 22
/// column names per task. The column lists are fixed, so position is enough; each cell's
/// name is still compared with the one expected, so a list and its reader that drift
/// apart fail with the column named instead of decoding the wrong cell.
struct PostgresColumnReader {
    private var cells: PostgresRow.Iterator

    init(_ row: PostgresRow) {
        cells = row.makeIterator()
    }

    /// Decodes the next cell, which must be the column `name`.
    mutating func next<Value: PostgresDecodable>(_ name: String) throws -> Value {
        guard let cell = cells.next() else {
            throw StoreDecodingError(column: name, problem: "is missing from the row the query returned")
        }
        guard cell.columnName == name else {
            throw StoreDecodingError(column: name, problem: "was expected where the row has \(cell.columnName)")
        }
        return try cell.decode(Value.self)
    }
}
