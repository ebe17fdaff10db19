import ArgumentParser
import Foundation
import Scheduler

/// `agent-scheduler load-sql FILE`: runs a SQL file (such as `fixtures/sample_data.sql`)
/// against the configured database, in one transaction.
struct LoadSQL: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load-sql",
        abstract: "Run a SQL file against the database in one transaction, e.g. fixtures/sample_data.sql.")

    @Argument(help: "The SQL file: statements separated by ';' at line ends, '--' comment lines.")
    var file: String

    @OptionGroup var settings: DatabaseOptions

    func run() async throws {
        let runtime = try Runtime(settings)
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw CommandError("cannot read \(file): \(error.localizedDescription)")
        }
        try await runtime.withStore { store, _ in try await store.run(script: text) }
        print("ran \(SQLScript.statements(in: text).count) statements from \(file)")
    }
}
