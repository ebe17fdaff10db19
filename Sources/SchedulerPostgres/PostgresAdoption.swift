import Logging
import PostgresNIO
import Scheduler

/// Adopts `agent_tasks` and `agent_actions_log` tables that the task processor this
/// project replaces created (its `CREATE TABLE agent_tasks`: nullable defaults, no lease
/// or idempotency columns), so that the engine's migrations can run over them: it checks
/// every column the engine reads, adds what the engine needs, fills the gaps in existing
/// rows, and keeps every row and every other column.
///
/// It runs inside the migration transaction before the engine's first migration, only
/// when `agent_tasks` exists and that migration has not run; anything it cannot adopt
/// stops it with an ``AdoptionError`` before a change is kept. Rows the old processor
/// left `processing` get an expired lease held by `task-processor`, so the rescuer
/// returns them to `pending` (counting the attempt) once `migrate` has run.
struct PostgresAdoption {
    let connection: PostgresConnection
    let logger: Logger

    /// The types the engine can read each existing column as; `nil` entries are columns
    /// the engine adds when missing.
    static let taskColumnTypes: [String: Set<String>] = [
        "id": ["uuid"], "task_type": ["character varying", "text"], "agent_type": ["character varying", "text"],
        "user_id": ["uuid"], "context_id": ["uuid"], "context_type": ["character varying", "text"],
        "scheduled_for": ["timestamp with time zone"], "priority": ["character varying", "text"],
        "status": ["character varying", "text"], "retry_count": ["integer", "bigint", "smallint"],
        "max_retries": ["integer", "bigint", "smallint"], "last_attempted_at": ["timestamp with time zone"],
        "context_json": ["jsonb", "json"], "result_json": ["jsonb", "json"], "error_log": ["text", "character varying"],
        "created_at": ["timestamp with time zone"], "created_by": ["character varying", "text"],
        "completed_at": ["timestamp with time zone"],
    ]

    /// Status spellings other task processors use, and the engine's word for each.
    static let statusSpellings = [
        "in_progress": "processing", "running": "processing", "done": "completed", "succeeded": "completed",
        "success": "completed", "error": "failed", "errored": "failed", "canceled": "cancelled",
    ]

    /// Whether the database holds an `agent_tasks` table the engine did not create.
    static func needed(on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        try await !connection.query(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'agent_tasks'",
            logger: logger
        ).collect().isEmpty
    }

    func adopt() async throws {
        let columns = try await columnTypes("agent_tasks")
        try check(columns)
        for statement in taskStatements(existing: columns) + (try await logStatements()) {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
        try await checkStatuses()
        logger.notice("adopted the existing agent_tasks table; its rows are kept")
    }

    private func columnTypes(_ table: String) async throws -> [String: String] {
        var types: [String: String] = [:]
        let rows = try await connection.query(
            """
            SELECT column_name::text, data_type::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(table)
            """,
            logger: logger)
        for try await (name, type) in rows.decode((String, String).self) { types[name] = type }
        return types
    }

    /// Refuses before any change a column the engine cannot read, or a required one missing.
    private func check(_ columns: [String: String]) throws {
        for (name, type) in columns.sorted(by: { $0.key < $1.key }) {
            guard let allowed = Self.taskColumnTypes[name], !allowed.contains(type) else { continue }
            throw AdoptionError.incompatibleColumn(
                table: "agent_tasks", column: name, type: type, expected: allowed.sorted().joined(separator: " or "))
        }
        for required in ["id", "task_type", "agent_type", "scheduled_for", "context_json"] where columns[required] == nil {
            throw AdoptionError.missingColumn(table: "agent_tasks", column: required)
        }
    }

    private func taskStatements(existing: [String: String]) -> [String] {
        var statements: [String] = []
        let added: [(String, String)] = [
            ("priority", "VARCHAR(20)"), ("status", "VARCHAR(50)"), ("retry_count", "INTEGER"), ("max_retries", "INTEGER"),
            ("last_attempted_at", "TIMESTAMPTZ"), ("result_json", "JSONB"), ("error_log", "TEXT"),
            ("created_at", "TIMESTAMPTZ"), ("created_by", "VARCHAR(100)"), ("completed_at", "TIMESTAMPTZ"),
            ("user_id", "UUID"), ("context_id", "UUID"), ("context_type", "VARCHAR(50)"),
            ("locked_by", "TEXT"), ("locked_until", "TIMESTAMPTZ"), ("idempotency_key", "TEXT"), ("updated_at", "TIMESTAMPTZ"),
        ]
        for (name, type) in added where existing[name] == nil {
            statements.append("ALTER TABLE agent_tasks ADD COLUMN \(name) \(type)")
        }
        let spellings = Self.statusSpellings.map { "WHEN '\($0.key)' THEN '\($0.value)'" }.sorted().joined(separator: " ")
        statements += [
            """
            UPDATE agent_tasks SET
                priority = COALESCE(priority, 'medium'),
                status = CASE lower(COALESCE(status, 'pending')) \(spellings) ELSE lower(COALESCE(status, 'pending')) END,
                retry_count = COALESCE(retry_count, 0), max_retries = COALESCE(max_retries, 3),
                created_at = COALESCE(created_at, scheduled_for, now()),
                updated_at = COALESCE(updated_at, completed_at, last_attempted_at, created_at, scheduled_for, now()),
                locked_until = CASE WHEN lower(COALESCE(status, '')) IN ('processing', 'in_progress', 'running')
                    THEN COALESCE(locked_until, now()) ELSE locked_until END,
                locked_by = CASE WHEN lower(COALESCE(status, '')) IN ('processing', 'in_progress', 'running')
                    THEN COALESCE(locked_by, 'task-processor') ELSE locked_by END
            """,
            "ALTER TABLE agent_tasks ALTER COLUMN id SET DEFAULT gen_random_uuid()",
            "ALTER TABLE agent_tasks ALTER COLUMN scheduled_for SET DEFAULT now()",
            "ALTER TABLE agent_tasks ALTER COLUMN context_json SET DEFAULT '{}'::jsonb",
        ]
        for (name, value) in [
            ("priority", "'medium'"), ("status", "'pending'"), ("retry_count", "0"), ("max_retries", "3"),
            ("created_at", "now()"), ("updated_at", "now()"),
        ] {
            statements.append("ALTER TABLE agent_tasks ALTER COLUMN \(name) SET DEFAULT \(value)")
            statements.append("ALTER TABLE agent_tasks ALTER COLUMN \(name) SET NOT NULL")
        }
        if existing["context_json"] == "json" {
            statements.append("ALTER TABLE agent_tasks ALTER COLUMN context_json TYPE jsonb USING context_json::jsonb")
        }
        if existing["result_json"] == "json" {
            statements.append("ALTER TABLE agent_tasks ALTER COLUMN result_json TYPE jsonb USING result_json::jsonb")
        }
        statements += [
            """
            ALTER TABLE agent_tasks ADD COLUMN priority_rank SMALLINT GENERATED ALWAYS AS (
                CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END) STORED
            """,
        ]
        return statements
    }

    /// Creates the action log as the engine's first migration would, or adds to an
    /// existing one the columns the engine writes.
    private func logStatements() async throws -> [String] {
        let columns = try await columnTypes("agent_actions_log")
        guard !columns.isEmpty else { return [] }
        if let id = columns["id"], !["integer", "bigint"].contains(id) {
            throw AdoptionError.incompatibleColumn(
                table: "agent_actions_log", column: "id", type: id, expected: "integer or bigint (a sequence)")
        }
        var statements: [String] = []
        for (name, type) in [
            ("attempt", "INTEGER"), ("worker_id", "TEXT"), ("started_at", "TIMESTAMPTZ"), ("created_at", "TIMESTAMPTZ DEFAULT now()"),
            ("context_type", "VARCHAR(50)"), ("latency_ms", "INTEGER"), ("input_data", "JSONB"), ("output_data", "JSONB"),
            ("error", "TEXT"), ("user_id", "UUID"), ("context_id", "UUID"),
        ] where columns[name] == nil {
            statements.append("ALTER TABLE agent_actions_log ADD COLUMN \(name) \(type)")
        }
        if columns["id"] == nil {
            statements.append("ALTER TABLE agent_actions_log ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY")
        }
        return statements
    }

    /// Refuses statuses the engine does not know, naming them.
    private func checkStatuses() async throws {
        var unknown: [String] = []
        let rows = try await connection.query(
            """
            SELECT DISTINCT status::text FROM agent_tasks
            WHERE status NOT IN ('pending', 'processing', 'completed', 'failed', 'cancelled')
            """,
            logger: logger)
        for try await status in rows.decode(String.self) { unknown.append(status) }
        guard unknown.isEmpty else { throw AdoptionError.unknownStatuses(unknown.sorted()) }
    }
}
