import Configuration
import Foundation
import Testing

@testable import Scheduler

/// `TASK_LIMITS`, limits in the task-types file, and durations as settings write them.
@Suite("Task limits configuration", .timeLimit(.minutes(5)))
struct TaskLimitsConfigurationTests {
    func configuration(_ environment: [String: String]) throws(ConfigurationError) -> SchedulerConfiguration {
        try SchedulerConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    @Test("TASK_LIMITS reads concurrency and rate per type")
    func parses() throws {
        let limits = try configuration(["TASK_LIMITS": "research_solution:concurrency=4,rate=60/1m; probe:concurrency=2;x:rate=10/s"])
            .taskLimits
        #expect(limits["research_solution"] == TaskLimit(concurrency: 4, rate: TaskLimit.Rate(starts: 60, period: 60)))
        #expect(limits["probe"] == TaskLimit(concurrency: 2))
        #expect(limits["x"] == TaskLimit(rate: TaskLimit.Rate(starts: 10, period: 1)))
        #expect(TaskLimit.Rate(parsing: "60/min")?.description == "60/1m")
        #expect(TaskLimit.Rate(parsing: "1000/2h")?.period == 7_200)
    }

    @Test("a limit of zero or below, a bad rate or a bad entry is refused, naming the setting and the problem", arguments: [
        ("a:concurrency=0", "concurrency must be a whole number above zero, not '0'"),
        ("a:concurrency=-3", "not '-3'"),
        ("a:rate=0/1m", "rate must be starts/period above zero"),
        ("a:rate=60/0s", "not '60/0s'"),
        ("a:rate=60", "not '60'"),
        ("a:speed=3", "'speed=3' is not concurrency=N or rate=M/period"),
        ("a", "'a' must be type:concurrency=N,rate=M/period"),
        ("a:concurrency=1;a:concurrency=2", "task type 'a' is limited twice"),
        ("a:", "a: give concurrency=N, rate=M/period or both"),
    ])
    func refused(value: String, problem: String) {
        #expect {
            try configuration(["TASK_LIMITS": value])
        } throws: { error in
            let text = "\(error)"
            return text.contains("TASK_LIMITS (--task-limits)") && text.contains(problem)
        }
    }

    @Test("the task-types file gives limits, and TASK_LIMITS wins type by type")
    func fileLimits() throws {
        let text = """
            {"task_types": {"render": {"remote": true, "concurrency": 2, "rate": "5/1s"},
                            "probe": {"concurrency": 9}}}
            """
        let document = try #require(JSONValue(parsing: text))
        let declarations = try TaskTypeFile.parse(document, path: "types.json")
        #expect(declarations.first { $0.name == "render" }?.limit == TaskLimit(concurrency: 2, rate: TaskLimit.Rate(starts: 5, period: 1)))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let limits = try configuration(["TASK_TYPES_FILE": file.path, "TASK_LIMITS": "probe:concurrency=3"]).taskLimits
        #expect(limits["render"]?.concurrency == 2)
        #expect(limits["probe"] == TaskLimit(concurrency: 3))
        #expect(throws: ConfigurationError.self) {
            try TaskTypeFile.parse(try #require(JSONValue(parsing: #"{"task_types": {"r": {"remote": true, "concurrency": 0}}}"#)), path: "t.json")
        }
        #expect(throws: ConfigurationError.self) {
            try TaskTypeFile.parse(try #require(JSONValue(parsing: #"{"task_types": {"r": {"remote": true, "rate": "fast"}}}"#)), path: "t.json")
        }
    }

    @Test("a limit on a type nobody runs or declares stops start-up")
    func unknownLimitedType() throws {
        let registry = try HandlerRegistry([NoopHandler()], declarations: [TaskTypeDeclaration(name: "render", remote: true)])
        try registry.check(TaskLimits(["noop": TaskLimit(concurrency: 1), "render": TaskLimit(concurrency: 1)]))
        #expect(throws: ConfigurationError.unknownLimitedType("nope")) {
            try registry.check(TaskLimits(["nope": TaskLimit(concurrency: 1)]))
        }
    }

    @Test("durations are a whole number and a unit")
    func durations() {
        #expect(DurationText.seconds("14d") == 1_209_600)
        #expect(DurationText.seconds("90s") == 90)
        #expect(DurationText.seconds("5m") == 300)
        #expect(DurationText.seconds("2w") == 1_209_600)
        #expect(DurationText.seconds("500ms") == 0.5)
        #expect(DurationText.seconds("0d") == nil)
        #expect(DurationText.seconds("d") == nil)
        #expect(DurationText.seconds("1.5h") == nil)
        #expect(DurationText.seconds("min", numberOptional: true) == 60)
        #expect(DurationText.text(86_400) == "1d")
        #expect(DurationText.text(90) == "90s")
    }
}
