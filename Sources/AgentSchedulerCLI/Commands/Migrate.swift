import ArgumentParser
import Scheduler

/// `agent-scheduler migrate`: applies the schema migrations that are missing.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update the database schema (idempotent).")

    @OptionGroup var settings: DatabaseOptions

    func run() async throws {
        let runtime = try Runtime(settings)
        let applied = try await runtime.withStore(.untouched) { store, _ in
            try await store.migrate(modules: InstalledHandlers.current.schema)
        }
        print(applied.isEmpty ? "schema is up to date" : "applied migrations: \(applied.map(\.description).joined(separator: ", "))")
    }
}
