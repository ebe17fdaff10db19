import Foundation
import Logging

/// Writes each log record as one JSON object per line (`LOG_FORMAT=json`), with the
/// fields log collectors read: `severity` in Cloud Logging's names, `message`, `time`
/// (RFC 3339 with milliseconds), `logger`, and the record's metadata (task id, type,
/// attempt, worker) as top-level fields.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void

    /// A handler for `label` that passes each line to `write` (standard error by default).
    public init(label: String, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: JSONValue] = [:]
        let merged = metadata
            .merging(metadataProvider?.get() ?? [:]) { _, new in new }
            .merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged { fields[key] = Self.json(value) }
        fields["severity"] = .string(Self.severity(event.level))
        fields["message"] = .string(event.message.description)
        fields["time"] = .string(Timestamp.string(from: Date()))
        fields["logger"] = .string(label)
        if let error = event.error { fields["error"] = .string("\(error)") }
        write((try? JSONText.encode(JSONValue.object(fields))) ?? #"{"severity":"ERROR","message":"unencodable log record"}"#)
    }

    /// Cloud Logging's name for a level (it has no trace: trace is DEBUG).
    static func severity(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "DEBUG"
        case .info: "INFO"
        case .notice: "NOTICE"
        case .warning: "WARNING"
        case .error: "ERROR"
        case .critical: "CRITICAL"
        }
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let values): .object(values.mapValues(json))
        @unknown default: .string("\(value)")
        }
    }

    /// Writes a line to standard error in one call, so lines from several tasks never mix.
    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
