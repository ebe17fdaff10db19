/// The built-in handler that behaves as its context says: runs for a while (reporting
/// progress along the way if asked), fails some attempts retryably, then succeeds.
///
/// It lets reliability scripts and operators rehearse crashes, outages and retries with
/// the shipped binary: long handlers to kill mid-run, a known fraction of failing
/// attempts whose retry counts and backoff can be checked afterwards.
public struct ProbeHandler: TaskHandler {
    public struct Context: Codable, Sendable, Hashable {
        /// How long each attempt runs before it ends, in milliseconds (0 to 3,600,000).
        public var durationMs: Int
        /// How many attempts fail retryably before one succeeds.
        public var failAttempts: Int
        /// How many times each attempt reports progress, evenly over `duration_ms`
        /// (0 to 10,000; 0 reports none).
        public var progressSteps: Int

        public init(durationMs: Int = 0, failAttempts: Int = 0, progressSteps: Int = 0) {
            self.durationMs = durationMs
            self.failAttempts = failAttempts
            self.progressSteps = progressSteps
        }

        enum CodingKeys: String, CodingKey {
            case durationMs = "duration_ms"
            case failAttempts = "fail_attempts"
            case progressSteps = "progress_steps"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            durationMs = try container.decodeIfPresent(Int.self, forKey: .durationMs) ?? 0
            failAttempts = try container.decodeIfPresent(Int.self, forKey: .failAttempts) ?? 0
            progressSteps = try container.decodeIfPresent(Int.self, forKey: .progressSteps) ?? 0
        }
    }

    /// The attempt that succeeded.
    public struct Result: Encodable, Sendable {
        public var attempt: Int
    }

    public static let taskType = "probe"

    public static let taskDescription =
        "Rehearses a real task: runs for duration_ms, reporting progress_steps times, fails its first fail_attempts attempts retryably, then completes."

    public static let contextSchema = ContextSchema.object([
        .integer("duration_ms", "How long each attempt runs, in milliseconds (default 0).",
            minimum: durationRange.lowerBound, maximum: durationRange.upperBound),
        .integer("fail_attempts", "How many attempts fail retryably before one succeeds (default 0).", minimum: 0),
        .integer("progress_steps", "How many times each attempt reports progress, evenly over duration_ms (default 0: none).",
            minimum: progressRange.lowerBound, maximum: progressRange.upperBound),
    ])

    static let durationRange = 0...3_600_000
    static let progressRange = 0...10_000

    /// Refuses at enqueue the durations, step counts and failure counts a run would refuse.
    public static func validate(_ context: Context) throws {
        guard durationRange.contains(context.durationMs) else {
            throw HandlerError.permanent("context field 'duration_ms' must be from 0 to 3600000, not \(context.durationMs)")
        }
        guard progressRange.contains(context.progressSteps) else {
            throw HandlerError.permanent("context field 'progress_steps' must be from 0 to 10000, not \(context.progressSteps)")
        }
        guard context.failAttempts >= 0 else {
            throw HandlerError.permanent("context field 'fail_attempts' must be 0 or more, not \(context.failAttempts)")
        }
    }

    public init() {}

    public func handle(_ context: Context, invocation: TaskInvocation) async throws -> Result {
        try Self.validate(context)
        try await run(for: .milliseconds(context.durationMs), steps: context.progressSteps, invocation: invocation)
        if invocation.attempt <= context.failAttempts {
            throw HandlerError.retryable(
                "probe: attempt \(invocation.attempt) of the first \(context.failAttempts) fails on purpose")
        }
        return Result(attempt: invocation.attempt)
    }

    /// Sleeps for `duration` in `steps` equal parts, reporting progress after each.
    private func run(for duration: Duration, steps: Int, invocation: TaskInvocation) async throws {
        guard steps > 0 else {
            if duration > .zero { try await Task.sleep(for: duration) }
            return
        }
        for step in 1...steps {
            if duration > .zero { try await Task.sleep(for: duration / steps) }
            invocation.reportProgress(Double(step) / Double(steps), message: "step \(step) of \(steps)")
        }
    }
}
