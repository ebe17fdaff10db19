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
        let token = values.string(.apiToken)
        apiToken = token.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        apiTokenSetButEmpty = token != nil && apiToken == nil
        databaseConnectTimeout =
            try values.milliseconds(.databaseConnectTimeoutMs, in: 1...3_600_000) ?? databaseConnectTimeout
        engine.logAttempts = try values.boolean(.logAttempts) ?? engine.logAttempts
        logLevel = try values.choice(
            .logLevel, as: Logger.Level.self, expected: Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
        ) ?? logLevel
        databasePoolMode = try values.choice(
            .databasePoolMode, as: DatabasePoolMode.self,
            expected: "session (a direct connection or a session pooler) or transaction (PgBouncer in transaction mode)"
        ) ?? databasePoolMode
        logFormat = try values.choice(
            .logFormat, as: LogFormat.self, expected: "text (for people) or json (one object a line, for a log collector)"
        ) ?? logFormat
        eventsHeartbeat = try values.milliseconds(.eventsHeartbeatMs, in: 10...3_600_000) ?? eventsHeartbeat
        metricsPublic = try values.boolean(.metricsPublic) ?? metricsPublic
        allowedHosts = values.string(.allowedHosts).map {
            $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        } ?? allowedHosts
        httpIdleTimeout = try values.milliseconds(.httpIdleTimeoutMs, in: 100...3_600_000) ?? httpIdleTimeout
        taskTypes = try values.taskTypes()
        webhooks = try values.webhooks()
        taskLimits = try values.taskLimits(declarations: taskTypes)
        scheduleMissed = try values.choice(
            .scheduleMissed, as: MissedTicks.self,
            expected: "once (a tick missed while nothing ran is enqueued once at start) or skip"
        ) ?? scheduleMissed
        retention.completed = try values.retention(.retentionCompleted) ?? retention.completed
        retention.failed = try values.retention(.retentionFailed) ?? retention.failed
        retention.log = try values.retention(.retentionLog) ?? retention.log
        schedulesFile = values.string(.schedulesFile)
        schedules = try schedulesFile.map { path throws(ConfigurationError) in try ScheduleFile.load(path: path) } ?? []
        engine.workerID = values.string(.workerID) ?? engine.workerID
        if databasePoolMode == .transaction { engine.pollInterval = DatabasePoolMode.transactionPollInterval }
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
