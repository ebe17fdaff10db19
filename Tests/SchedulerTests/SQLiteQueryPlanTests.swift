import Foundation
import TestSupport
import Testing

@testable import Scheduler
@testable import SchedulerSQLite

/// The claim and the next-due lookup must cost the same however many tasks are scheduled
/// for later: each looks up one range of the claim index per priority rank. SQLite files
/// here carry no statistics, so the planner's choice is fixed by the query's shape, and
/// its plan says whether the index is searched or scanned.
@Suite("SQLite query plans", .timeLimit(.minutes(5)))
struct SQLiteQueryPlanTests {
    @Test("the claim and the next-due lookup search the claim index rank by rank, never scan it",
          arguments: [SQLiteTaskStore.dueTasks, SQLiteTaskStore.earliestDue])
    func searchesByRank(sql: String) async throws {
        try await TestDatabase.with(.sqlite) { db in
            let plan = try await db.query("EXPLAIN QUERY PLAN \(sql)", []).compactMap { $0.last ?? nil }
            let taskLines = plan.filter { $0.contains("agent_tasks") }
            #expect(!taskLines.isEmpty)
            for line in taskLines {
                #expect(line.contains("USING INDEX agent_tasks_claim_idx (priority_rank=?"), "\(line)")
            }
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "the rows should come in index order")
        }
    }

    @Test("a listing reads the index its filter has, and walks created_at for the rest", arguments: [
        (TaskFilter(userID: UUID()), "agent_tasks_user_idx"),
        (TaskFilter(idempotencyKey: "k"), "sqlite_autoindex_agent_tasks"),
        (TaskFilter(status: .failed), "agent_tasks_failed_idx"),
        (TaskFilter(status: .cancelled, taskType: "noop"), "agent_tasks_cancelled_idx"),
        (TaskFilter(status: .pending), "agent_tasks_created_idx"),
        (TaskFilter(status: .processing), "agent_tasks_created_idx"),
        (TaskFilter(status: .completed, taskType: "noop"), "agent_tasks_created_idx"),
        (TaskFilter(taskType: "noop", after: UUID()), "agent_tasks_created_idx"),
        (TaskFilter(), "agent_tasks_created_idx"),
    ])
    func listing(filter: TaskFilter, index: String) async throws {
        try await TestDatabase.with(.sqlite) { db in
            let (sql, binds) = SQLiteTaskStore.listing(filter)
            let text = binds.map { $0.string ?? $0.integer.map(String.init) }
            let plan = try await db.query("EXPLAIN QUERY PLAN \(sql)", text).compactMap { $0.last ?? nil }
            let first = plan.first { $0.contains("agent_tasks") } ?? ""
            #expect(first.contains("USING INDEX \(index)") || first.contains("USING COVERING INDEX \(index)"), "\(plan)")
            #expect(!first.hasPrefix("SCAN agent_tasks") || first.contains("INDEX"), "never the whole table: \(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") } || filter.userID != nil, "rows come in list order: \(plan)")
        }
    }
}
