import Configuration
import Foundation
import Logging
import Synchronization
import Testing

@testable import Scheduler

@Suite("JSON logs", .timeLimit(.minutes(5)))
struct JSONLogHandlerTests {
    /// The lines a test logger wrote.
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func withLock<T>(_ body: (inout [String]) -> T) -> T { lines.withLock { body(&$0) } }
    }

    /// A logger whose JSON lines land in the returned collector.
    func logger(level: Logger.Level = .info) -> (Logger, Lines) {
        let lines = Lines()
        var logger = Logger(label: "agent-scheduler") { label in
            JSONLogHandler(label: label) { line in lines.withLock { $0.append(line) } }
        }
        logger.logLevel = level
        return (logger, lines)
    }

    func objects(_ lines: Lines) -> [[String: JSONValue]] {
        lines.withLock { $0 }.compactMap { line in
            guard case .object(let object)? = JSONValue(parsing: line) else { return nil }
            return object
        }
    }

    @Test("one JSON object a line: Cloud Logging's severity, message, time, logger and the metadata as fields")
    func fields() throws {
        var (logger, lines) = logger()
        logger[metadataKey: "worker_id"] = "w-1"
        logger.warning("attempt failed; will retry", metadata: [
            "task_id": "abc", "attempt": "2", "tags": ["a", "b"], "detail": ["code": "x"],
        ])
        logger.debug("not shown at info")
        let records = objects(lines)
        #expect(lines.withLock { $0.count } == 1 && records.count == 1)
        let record = try #require(records.first)
        #expect(record["severity"] == .string("WARNING"))
        #expect(record["message"] == .string("attempt failed; will retry"))
        #expect(record["logger"] == .string("agent-scheduler"))
        #expect(record["worker_id"] == .string("w-1") && record["task_id"] == .string("abc") && record["attempt"] == .string("2"))
        #expect(record["tags"] == .array([.string("a"), .string("b")]))
        #expect(record["detail"] == .object(["code": .string("x")]))
        guard case .string(let time)? = record["time"] else {
            Issue.record("no time")
            return
        }
        #expect(Timestamp.date(from: time) != nil, "time '\(time)' is not RFC 3339")
        #expect(!lines.withLock { $0[0] }.contains("\n"))
    }

    @Test("every level has Cloud Logging's name; trace is DEBUG")
    func severities() {
        let (logger, lines) = logger(level: .trace)
        for level in Logger.Level.allCases { logger.log(level: level, "x") }
        #expect(objects(lines).map { $0["severity"] } == [
            "DEBUG", "DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL",
        ].map { JSONValue.string($0) })
    }

    @Test("LOG_FORMAT is text by default, json when asked, and anything else is refused by name")
    func setting() throws {
        func configuration(_ environment: [String: String]) throws -> SchedulerConfiguration {
            try SchedulerConfiguration(reader: .init(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
        }
        #expect(try configuration([:]).logFormat == .text)
        #expect(try configuration(["LOG_FORMAT": "JSON"]).logFormat == .json)
        #expect(throws: ConfigurationError.self) { try configuration(["LOG_FORMAT": "xml"]) }
    }
}
