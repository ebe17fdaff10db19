import ArgumentParser
import Foundation
import Scheduler

/// A UUID given on the command line (a task id, a user id); anything else is refused by
/// the argument parser with the option's name.
struct UUIDArgument: ExpressibleByArgument {
    let id: UUID

    init?(argument: String) {
        guard let id = UUID(uuidString: argument) else { return nil }
        self.id = id
    }
}
