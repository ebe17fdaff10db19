import Foundation
import Handlers
import TestSupport
import Testing

/// `fixtures/schema/agent-scheduler/` holds what the `agent-scheduler` binary's
/// migrations create (the engine's tables and the handlers' domain tables), for readers
/// and for services that share the database; this test keeps those files true. After
/// changing a migration, run `UPDATE_SCHEMA_SNAPSHOTS=1 scripts/test --filter
/// SchemaSnapshotTests` and commit the files.
@Suite("Schema snapshots with the handlers' tables", .timeLimit(.minutes(5)))
struct SchemaSnapshotTests {
    @Test("the engine's and the handlers' migrations create exactly the schema in fixtures/schema/agent-scheduler",
          arguments: StoreKind.available)
    func snapshot(kind: StoreKind) async throws {
        let actual = try await TestDatabase.with(kind, modules: HandlerCatalog.schema) { db in
            try await SchemaCatalog.text(of: db)
        }
        try SchemaCatalog.expectSnapshot(actual, folder: "agent-scheduler", kind: kind)
    }
}
