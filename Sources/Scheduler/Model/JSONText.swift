import Foundation

/// The one JSON encoding the project writes: sorted keys, unescaped slashes and ISO 8601
/// dates, so that stored JSON, API responses and CLI output are stable and alike.
public enum JSONText {
    private static let compactEncoder = makeEncoder([])
    private static let prettyEncoder = makeEncoder([.prettyPrinted])

    /// `value` as JSON bytes; `pretty` indents them for people to read.
    public static func data(_ value: some Encodable, pretty: Bool = false) throws -> Data {
        try (pretty ? prettyEncoder : compactEncoder).encode(value)
    }

    /// `value` as JSON text; `pretty` indents it for people to read.
    public static func encode(_ value: some Encodable, pretty: Bool = false) throws -> String {
        String(decoding: try data(value, pretty: pretty), as: UTF8.self)
    }

    private static func makeEncoder(_ extra: JSONEncoder.OutputFormatting) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = extra.union([.sortedKeys, .withoutEscapingSlashes])
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
