import Foundation
import PostgresNIO
import Scheduler
import SchedulerPostgres
import Testing

/// The throwaway PostgreSQL cluster that `scripts/test` starts, named by
/// `TEST_DATABASE_URL`; each test gets a database of its own in it.
enum PostgresTestCluster {
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "TEST_DATABASE_URL is not set: run the tests with scripts/test, which starts a PostgreSQL cluster"
        }
    }

    static func createDatabase() async throws -> String {
        guard let adminURL = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] else { throw Missing() }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = try PostgresTaskStore(url: adminURL, logger: TestDatabase.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.run() }
            defer { group.cancelAll() }
            // The name is generated above from hex digits only, so it is safe to splice.
            _ = try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)")).collect()
        }
        var components = try #require(URLComponents(string: adminURL))
        components.path = "/" + name
        return try #require(components.string)
    }
}
