import Foundation
import TestSupport
import Testing

@testable import Scheduler

/// `migrate` on a database where the task processor this project replaces already keeps
/// its tasks: its own `CREATE TABLE agent_tasks`, rows in every status.
@Suite("Adopting the task processor's tables", .timeLimit(.minutes(5)))
struct AdoptionTests {
    /// The task processor's DDL as its document gives it, with the users table it
    /// references and an action log shaped like its insert.
    static let taskProcessorSchema = [
        "CREATE TABLE users (id UUID PRIMARY KEY, name TEXT)",
        """
        CREATE TABLE agent_tasks (
          id UUID PRIMARY KEY,
          task_type VARCHAR(100) NOT NULL,
          agent_type VARCHAR(50) NOT NULL,
          user_id UUID REFERENCES users(id),
          context_id UUID,
          context_type VARCHAR(50),
          scheduled_for TIMESTAMPTZ NOT NULL,
          priority VARCHAR(20) DEFAULT 'medium',
          status VARCHAR(50) DEFAULT 'pending',
          retry_count INTEGER DEFAULT 0,
          max_retries INTEGER DEFAULT 3,
          last_attempted_at TIMESTAMPTZ,
          context_json JSONB NOT NULL,
          result_json JSONB,
          error_log TEXT,
          created_at TIMESTAMPTZ DEFAULT now(),
          created_by VARCHAR(100),
          completed_at TIMESTAMPTZ
        )
        """,
        """
        CREATE TABLE agent_actions_log (
          id BIGSERIAL PRIMARY KEY, agent_type VARCHAR(50) NOT NULL, action_type VARCHAR(100) NOT NULL,
          user_id UUID, context_id UUID, context_type VARCHAR(50), latency_ms INTEGER,
          input_data JSONB, output_data JSONB, error TEXT, created_at TIMESTAMPTZ DEFAULT now()
        )
        """,
    ]

    static let user = "11111111-1111-4111-8111-111111111111"

    /// One row per status the task processor leaves, some with the NULLs its defaults allow.
    static let rows = [
        "INSERT INTO users VALUES ('\(user)', 'Ada')",
        """
        INSERT INTO agent_tasks (id, task_type, agent_type, user_id, scheduled_for, priority, status, context_json, created_by)
        VALUES ('00000000-0000-4000-8000-000000000001', 'noop', 'concierge', '\(user)', now() - interval '1 hour', NULL, 'pending', '{"a": 1}', 'svc'),
               ('00000000-0000-4000-8000-000000000002', 'noop', 'concierge', NULL, now() - interval '1 hour', 'high', NULL, '{}', 'svc'),
               ('00000000-0000-4000-8000-000000000003', 'noop', 'concierge', NULL, now() - interval '2 hours', 'low', 'processing', '{}', 'svc'),
               ('00000000-0000-4000-8000-000000000004', 'noop', 'concierge', NULL, now() - interval '2 hours', 'medium', 'in_progress', '{}', 'svc'),
               ('00000000-0000-4000-8000-000000000005', 'noop', 'concierge', NULL, now() + interval '3 days', 'medium', 'pending', '{}', 'svc')
        """,
        """
        INSERT INTO agent_tasks (id, task_type, agent_type, scheduled_for, status, context_json, result_json, completed_at, retry_count)
        VALUES ('00000000-0000-4000-8000-000000000006', 'research_solution', 'concierge', now() - interval '1 day', 'completed',
                '{}', '{"event_id": "e"}', now() - interval '1 day', 1),
               ('00000000-0000-4000-8000-000000000007', 'verify_user', 'concierge', now() - interval '1 day', 'failed',
                '{}', NULL, NULL, 3)
        """,
        """
        INSERT INTO agent_actions_log (agent_type, action_type, context_id, latency_ms, error)
        VALUES ('task_processor', 'process_verify_user', '00000000-0000-4000-8000-000000000007', 3, 'boom')
        """,
    ]

    /// What the other services' columns hold, row by row.
    static let keptColumns = """
        SELECT ROW(id, task_type, agent_type, user_id, context_id, scheduled_for, context_json, result_json,
                   error_log, created_by, completed_at, retry_count, max_retries)::text
        FROM agent_tasks ORDER BY id
        """

    @Test("migrate adopts the task processor's tables: every row and column kept, gaps filled, then its pending rows run",
          .enabled(if: StoreKind.postgresAvailable, "needs PostgreSQL: run scripts/test"))
    func adopt() async throws {
        try await TestDatabase.with(.postgres, migrated: false) { db in
            for statement in Self.taskProcessorSchema + Self.rows { try await db.execute(statement) }
            let before = try await db.query(Self.keptColumns, [])

            let applied = try await db.store.migrate()
            #expect(applied.map(\.version) == Array(1...17))
            #expect(try await db.query(Self.keptColumns, []) == before)
            let states = try await db.query(
                "SELECT id::text, status, priority, (locked_until IS NOT NULL)::text, locked_until::text FROM agent_tasks ORDER BY id", [])
            #expect(states.map { $0[1] } == ["pending", "pending", "processing", "processing", "pending", "completed", "failed"])
            #expect(states[0][2] == "medium" && states[2][3] == "true" && states[0][3] == "false", "\(states)")
            let log = try await db.store.actionLog(taskID: UUID(uuidString: "00000000-0000-4000-8000-000000000007")!)
            #expect(log.map(\.error) == ["boom"])

            let clock = ManualClock.atThisSecond()
            let configuration = EngineConfiguration(workerID: "adopter")
            let rescued = await Rescuer(store: db.store, configuration: configuration, clock: clock, logger: TestDatabase.logger)
                .rescueOnce()
            #expect(rescued.count == 2, "the old processor's in-flight rows are rescued")
            clock.advance(by: .seconds(120))
            let engine = Engine(
                store: db.store, registry: try HandlerRegistry([NoopHandler()]), configuration: configuration, clock: clock,
                logger: TestDatabase.logger)
            await engine.runUntilIdle()
            let done = try await db.query("SELECT count(*)::text FROM agent_tasks WHERE status = 'completed'", [])
            #expect(done == [["5"]], "the four due noop tasks ran, beside the one completed before")
            let id = try await db.store.enqueue(NewTask(taskType: "noop"), now: Date()).task.id
            #expect(try await db.store.task(id: id)?.status == .pending)
        }
    }

    @Test("a column the engine cannot read stops migrate, naming it, before anything changes",
          .enabled(if: StoreKind.postgresAvailable, "needs PostgreSQL: run scripts/test"))
    func refuse() async throws {
        try await TestDatabase.with(.postgres, migrated: false) { db in
            let schema = Self.taskProcessorSchema.map { $0.replacingOccurrences(of: "context_json JSONB NOT NULL", with: "context_json TEXT NOT NULL") }
            for statement in schema { try await db.execute(statement) }
            do {
                try await db.store.migrate()
                Issue.record("migrate adopted a TEXT context_json")
            } catch let error as AdoptionError {
                #expect(error == .incompatibleColumn(
                    table: "agent_tasks", column: "context_json", type: "text", expected: "json or jsonb"))
                #expect(error.description.contains("Nothing was changed"))
            }
            let columns = try await db.query(
                "SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'agent_tasks' AND column_name = 'locked_by'", [])
            #expect(columns == [["0"]])
            let tables = try await db.query("SELECT count(*)::text FROM information_schema.tables WHERE table_name = 'schema_migrations'", [])
            #expect(tables == [["0"]])
        }
    }
}
