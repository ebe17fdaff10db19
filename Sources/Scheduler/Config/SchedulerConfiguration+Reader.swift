import Configuration
import Foundation
import Logging

extension SchedulerConfiguration {
    /// Reads every setting from `reader` (environment variables, with flags layered over
    /// them by the executable), keeping the default where a setting is absent.
    public init(reader: ConfigReader) throws(ConfigurationError) {
        self.init()
        let values = SettingValues(reader: reader)
        databaseURL = values.string(.databaseURL) ?? databaseURL
        host = values.string(.host) ?? host
        port = try values.integer(.port, in: 1...65_535) ?? port
        maxRetries = try values.integer(.maxRetries, in: 0...100) ?? maxRetries
        apiToken = values.string(.apiToken).flatMap { $0.isEmpty ? nil : $0 }
        if let level = values.string(.logLevel) {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw .invalidValue(
                    setting: ConfigurationSetting.logLevel.displayName, value: level,
                    expected: Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
            }
            logLevel = parsed
        }
        engine.workerID = values.string(.workerID) ?? engine.workerID
        engine.pollInterval = try values.milliseconds(.pollingIntervalMs, in: 1...86_400_000) ?? engine.pollInterval
        engine.batchSize = try values.integer(.maxTasksPerPoll, in: 1...10_000) ?? engine.batchSize
        engine.concurrency = try values.integer(.workerConcurrency, in: 1...10_000) ?? engine.concurrency
        if let seconds = try values.integer(.leaseSeconds, in: 1...86_400) {
            engine.lease = .seconds(seconds)
            engine.rescueInterval = min(engine.rescueInterval, engine.lease / 2)
        }
        engine.handlerTimeout = try values.milliseconds(.handlerTimeoutMs, in: 1...86_400_000) ?? engine.handlerTimeout
        engine.shutdownGrace = try values.milliseconds(.shutdownGraceMs, in: 0...3_600_000) ?? engine.shutdownGrace
        if let base = try values.milliseconds(.retryBaseDelayMs, in: 0...86_400_000) {
            engine.retryPolicy.baseDelay = base
        }
    }
}

/// Reads raw setting strings and turns them into typed values with errors that name the
/// setting.
private struct SettingValues {
    let reader: ConfigReader

    func string(_ setting: ConfigurationSetting) -> String? {
        reader.string(forKey: setting.key, isSecret: setting.isSecret)
    }

    func integer(_ setting: ConfigurationSetting, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let text = string(setting) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw .invalidValue(
                setting: setting.displayName, value: text,
                expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func milliseconds(_ setting: ConfigurationSetting, in range: ClosedRange<Int>) throws(ConfigurationError) -> Duration? {
        try integer(setting, in: range).map { .milliseconds($0) }
    }
}
