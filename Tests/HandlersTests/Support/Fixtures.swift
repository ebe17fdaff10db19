import Foundation
import Scheduler
import TestSupport
import Testing

/// The files in `fixtures/`, and how tests load them into a database.
enum Fixtures {
    static let root = FixtureFiles.root

    static let ada = UUID(uuidString: "11111111-1111-4111-8111-111111111111")!
    static let grace = UUID(uuidString: "22222222-2222-4222-8222-222222222222")!
    static let alan = UUID(uuidString: "33333333-3333-4333-8333-333333333333")!
    static let katherine = UUID(uuidString: "44444444-4444-4444-8444-444444444444")!
    static let dorothy = UUID(uuidString: "55555555-5555-4555-8555-555555555555")!
    static let adaConversation = UUID(uuidString: "aaaaaaaa-0000-4000-8000-000000000001")!
    static let dorothyConversation = UUID(uuidString: "aaaaaaaa-0000-4000-8000-000000000005")!

    /// Runs `sample_data.sql` against the database.
    static func loadSampleData(into db: TestDatabase) async throws {
        let text = try String(contentsOf: root.appendingPathComponent("sample_data.sql"), encoding: .utf8)
        try await db.store.run(script: text)
    }

    /// One entry of `sample_tasks.json`.
    struct SampleTask: Decodable, Sendable, CustomTestStringConvertible {
        struct Row: Decodable, Sendable {
            var taskType: String
            var agentType: String
            var userID: String?
            var priority: String
            var context: JSONValue
            var createdAt: String?

            enum CodingKeys: String, CodingKey {
                case priority
                case taskType = "task_type"
                case agentType = "agent_type"
                case userID = "user_id"
                case context = "context_json"
                case createdAt = "created_at"
            }
        }

        struct Expectation: Decodable, Sendable {
            var status: TaskStatus
            var retryCount: Int
            var attempts: Int
            var error: String?
            var result: [String: String]?

            enum CodingKeys: String, CodingKey {
                case status, attempts, error, result
                case retryCount = "retry_count"
            }
        }

        var name: String
        var task: Row
        var expect: Expectation

        var testDescription: String { name }
    }

    static func sampleTasks() throws -> [SampleTask] {
        struct File: Decodable { var tasks: [SampleTask] }
        let data = try Data(contentsOf: root.appendingPathComponent("sample_tasks.json"))
        return try JSONDecoder().decode(File.self, from: data).tasks
    }

    /// Inserts a sample task the way another service would: a plain SQL INSERT naming
    /// only the task processor's columns. Returns the new row's id.
    static func insert(_ task: SampleTask.Row, into db: TestDatabase) async throws -> UUID {
        let context = String(decoding: try JSONEncoder().encode(task.context), as: UTF8.self)
        let sql: String
        switch db.kind {
        case .postgres:
            sql = """
                INSERT INTO agent_tasks (task_type, agent_type, user_id, priority, context_json, created_at)
                VALUES ($1, $2, $3::uuid, $4, $5::jsonb, COALESCE($6::timestamptz, now()))
                RETURNING id::text
                """
        case .sqlite:
            sql = """
                INSERT INTO agent_tasks (task_type, agent_type, user_id, priority, context_json, created_at)
                VALUES (?1, ?2, ?3, ?4, ?5, COALESCE(?6, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))
                RETURNING id
                """
        }
        let rows = try await db.query(sql, [task.taskType, task.agentType, task.userID, task.priority, context, task.createdAt])
        return try #require(rows.first?.first.flatMap { $0 }.flatMap(UUID.init(uuidString:)))
    }
}
