import Scheduler

/// A command's own failure at run time (a file that cannot be read, a line that is
/// refused), printed as one line without the usage text a mistyped flag gets.
struct CommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
