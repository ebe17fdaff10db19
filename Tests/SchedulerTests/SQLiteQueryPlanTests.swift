import Testing
import TestSupport

@testable import Scheduler

/// The claim and the next-due lookup must cost the same however many tasks are scheduled
/// for later: each looks up one range of the claim index per priority rank. SQLite files
/// here carry no statistics, so the planner's choice is fixed by the query's shape, and
/// its plan says whether the index is searched or scanned.
@Suite("SQLite query plans")
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
}
