import ArgumentParser
import Scheduler

/// A task id on the command line: the whole UUID, or a unique prefix of at least eight
/// hex digits, as the dashboard and `tasks list` show them.
struct TaskIDArgument: ExpressibleByArgument {
    let prefix: TaskIDPrefix

    init?(argument: String) {
        guard let prefix = TaskIDPrefix(argument) else { return nil }
        self.prefix = prefix
    }

    static var defaultValueDescription: String { "a task id, or its first 8 or more characters" }
}
