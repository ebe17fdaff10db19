import Foundation
import Logging

/// What a handler knows about the attempt it is running, beyond its typed context.
public struct TaskInvocation: Sendable {
    /// The claimed task, as it was when claimed.
    public let task: AgentTask
    /// The time the attempt started, from the engine's clock.
    public let startedAt: Date
    private let engineLogger: Logger
    private let progress: ProgressReporter?

    /// `logger` is the engine's; the invocation adds the task's metadata to it. Progress
    /// reported through an invocation made this way goes nowhere.
    public init(task: AgentTask, startedAt: Date, logger: Logger) {
        self.init(task: task, startedAt: startedAt, logger: logger, progress: nil)
    }

    init(task: AgentTask, startedAt: Date, logger: Logger, progress: ProgressReporter?) {
        self.task = task
        self.startedAt = startedAt
        self.engineLogger = logger
        self.progress = progress
    }

    /// Reports how far the attempt has got: `fraction` from 0 to 1 (clamped), an
    /// optional `message` for people and small JSON `data` for programs (at most
    /// ``TaskProgress/dataLimit`` bytes). Stored on the task and streamed as
    /// `task.progress`, at most a few times a second however often it is called, so a
    /// handler may call it in a tight loop. Never waits.
    public func reportProgress(_ fraction: Double, message: String? = nil, data: JSONValue? = nil) {
        progress?.report(fraction, message: message, data: data)
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
