import Foundation
import Testing

/// What a database's schema holds, one sorted line per column, constraint, index,
/// trigger and function, so two schemas compare as text and a snapshot file shows it.
public enum SchemaCatalog {
    static let postgres = """
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

    static let sqlite = """
        SELECT type || ' ' || name || ':' || char(10) || sql || ';' FROM sqlite_master
        WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
        ORDER BY type, name
        """

    /// The schema of `db` as text.
    public static func text(of db: TestDatabase) async throws -> String {
        let rows = try await db.query(db.kind == .postgres ? postgres : sqlite, [])
        return rows.compactMap { $0.first ?? nil }.joined(separator: "\n") + "\n"
    }

    /// Checks `actual` against the snapshot file `fixtures/schema/<folder>/<kind's file>`;
    /// with `UPDATE_SCHEMA_SNAPSHOTS=1` it writes the file first.
    public static func expectSnapshot(_ actual: String, folder: String, kind: StoreKind) throws {
        let file = FixtureFiles.root.appendingPathComponent("schema").appendingPathComponent(folder)
            .appendingPathComponent(kind == .postgres ? "postgres.txt" : "sqlite.sql")
        if ProcessInfo.processInfo.environment["UPDATE_SCHEMA_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, "the schema differs from fixtures/schema/\(folder)/\(file.lastPathComponent); run UPDATE_SCHEMA_SNAPSHOTS=1 scripts/test --filter SchemaSnapshotTests and commit the files")
    }
}
