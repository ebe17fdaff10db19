import Foundation
import Logging

/// What a handler knows about the attempt it is running, beyond its typed context.
public struct TaskInvocation: Sendable {
    /// The claimed task, as it was when claimed.
    public let task: AgentTask
    /// The time the attempt started, from the engine's clock.
    public let startedAt: Date
    private let engineLogger: Logger

    /// `logger` is the engine's; the invocation adds the task's metadata to it.
    public init(task: AgentTask, startedAt: Date, logger: Logger) {
        self.task = task
        self.startedAt = startedAt
        self.engineLogger = logger
    }

    /// A logger carrying the task's id, type and attempt as metadata. Built when asked
    /// for: a log handler may render metadata as soon as it is set, and most attempts
    /// never log.
    public var logger: Logger {
        var logger = engineLogger
        logger.handler.metadata.merge(task.logMetadata) { _, new in new }
        return logger
    }

    /// The attempt number, 1 for the first run.
    public var attempt: Int { task.attempt }

    /// A key for one write of this task's handler, the same in every attempt: an attempt
    /// whose writes committed but whose result did not (a crash, a lost lease) runs
    /// again, and its second write finds the first by this key instead of repeating it.
    /// `step` tells a handler's writes apart ("message", "event", "next-check").
    public func idempotencyKey(_ step: String) -> String {
        "agent-scheduler:\(task.taskType):\(task.id.lowercasedString):\(step)"
    }
}
