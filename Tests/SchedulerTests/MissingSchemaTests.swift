import Foundation
import TestSupport
import Testing

@testable import Scheduler

/// A database without the schema is told apart from other errors on both databases, so
/// the CLI can say "run agent-scheduler migrate" instead of a driver's message.
@Suite("Missing schema", .timeLimit(.minutes(5)))
struct MissingSchemaTests {
    @Test("a missing table is recognised as a missing schema; other errors are not", arguments: StoreKind.available)
    func recognised(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            do {
                _ = try await db.query("SELECT * FROM agent_tasks_that_do_not_exist", [])
                Issue.record("a missing table answered")
            } catch {
                #expect(MissingSchemaError.isMissingSchema(error), "\(error)")
            }
            do {
                _ = try await db.query("SELECT 1 FROM agent_tasks WHERE id = 'not a uuid' AND nonsense(", [])
                Issue.record("a syntax error answered")
            } catch {
                #expect(!MissingSchemaError.isMissingSchema(error), "\(error)")
            }
            #expect(MissingSchemaError(location: "SQLite file x").description.contains("run `agent-scheduler migrate`"))
        }
    }
}
