import Foundation
import TestSupport
import Testing

/// `fixtures/schema/scheduler/` holds what the engine's own migrations create: all that
/// an embedder who registers no schema module gets. After changing a migration, run
/// `UPDATE_SCHEMA_SNAPSHOTS=1 scripts/test --filter SchemaSnapshotTests` and commit the files.
@Suite("Schema snapshots of the engine alone", .timeLimit(.minutes(5)))
struct SchemaSnapshotTests {
    @Test("the engine's migrations create exactly the schema in fixtures/schema/scheduler", arguments: StoreKind.available)
    func snapshot(kind: StoreKind) async throws {
        let actual = try await TestDatabase.with(kind) { db in try await SchemaCatalog.text(of: db) }
        try SchemaCatalog.expectSnapshot(actual, folder: "scheduler", kind: kind)
    }
}
