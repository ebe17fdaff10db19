import Foundation
import TestSupport
import Testing

/// `fixtures/schema/` holds what the migrations create, for readers and for services that
/// share the database; this test keeps those files true. After changing a migration, run
/// `UPDATE_SCHEMA_SNAPSHOTS=1 scripts/test --filter SchemaSnapshotTests` and commit the files.
@Suite("Schema snapshots")
struct SchemaSnapshotTests {
    static let postgresCatalog = """
        SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type
            || CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END
            || CASE WHEN is_identity = 'YES' THEN ' IDENTITY' ELSE '' END
            || COALESCE(' DEFAULT ' || column_default, '')
            || COALESCE(' GENERATED ' || generation_expression, '')
        FROM information_schema.columns WHERE table_schema = 'public'
        UNION ALL
        SELECT 'constraint ' || conrelid::regclass::text || '.' || conname || ' ' || pg_get_constraintdef(oid)
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace
        UNION ALL
        SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
        UNION ALL
        SELECT 'trigger ' || event_object_table || '.' || trigger_name || ' ' || action_timing || ' '
            || event_manipulation || ' ' || action_statement
        FROM information_schema.triggers WHERE trigger_schema = 'public'
        UNION ALL
        SELECT 'function ' || oid::regprocedure::text || ' RETURNS ' || pg_get_function_result(oid)
            || COALESCE(' SET ' || array_to_string(proconfig, ', '), '')
        FROM pg_proc WHERE pronamespace = 'public'::regnamespace
        ORDER BY 1
        """

    static let sqliteCatalog = """
        SELECT type || ' ' || name || ':' || char(10) || sql || ';' FROM sqlite_master
        WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
        ORDER BY type, name
        """

    @Test("the migrations create exactly the schema in fixtures/schema", arguments: StoreKind.available)
    func snapshot(kind: StoreKind) async throws {
        let file = Fixtures.root.appendingPathComponent("schema").appendingPathComponent(
            kind == .postgres ? "postgres.txt" : "sqlite.sql")
        let actual = try await TestDatabase.with(kind) { db in
            let rows = try await db.query(kind == .postgres ? Self.postgresCatalog : Self.sqliteCatalog, [])
            return rows.compactMap { $0.first ?? nil }.joined(separator: "\n") + "\n"
        }
        if ProcessInfo.processInfo.environment["UPDATE_SCHEMA_SNAPSHOTS"] == "1" {
            try actual.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, "the schema differs from \(file.lastPathComponent); see this suite's doc comment")
    }
}
