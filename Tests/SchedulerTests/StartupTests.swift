import Foundation
import TestSupport
import Testing

@testable import Scheduler
@testable import SchedulerService

/// What a server meets before it runs: a database that does not answer, another server
/// on its SQLite file, commits by other processes.
@Suite("Start-up", .timeLimit(.minutes(5)))
struct StartupTests {
    @Test("a database that does not answer is reported with where and why once the limit passes")
    func unreachable() async throws {
        let store = try await StoreFactory.open(url: "postgres://app@127.0.0.1:1/tasks?sslmode=disable", logger: TestDatabase.logger)
        do {
            try await store.waitUntilReachable(limit: .milliseconds(600), logger: TestDatabase.logger)
            Issue.record("a closed port answered")
        } catch let error as DatabaseUnreachableError {
            #expect(error.location == "PostgreSQL at 127.0.0.1:1, database tasks, user app")
            #expect(error.reason.hasPrefix("connection refused"))
            #expect(error.gaveUpAfter != nil)
            #expect(error.description.contains("DATABASE_CONNECT_TIMEOUT_MS"))
        }
        await store.close()
    }

    @Test("one server per SQLite file: a second is refused naming the first, and may start once it closed")
    func sqliteServingLock() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let second = try await StoreFactory.open(url: db.url, bounds: TestDatabase.bounds, logger: TestDatabase.logger)
            let third = try await StoreFactory.open(url: db.url, bounds: TestDatabase.bounds, logger: TestDatabase.logger)
            try db.store.lockForServing()
            do {
                try second.lockForServing()
                Issue.record("two servers locked the same file")
            } catch let error as ServingLockError {
                #expect(error.holder == "pid \(ProcessInfo.processInfo.processIdentifier)")
            }
            await db.store.close()
            try third.lockForServing()
            await second.close()
            await third.close()
            try? FileManager.default.removeItem(atPath: db.url + "-serve.lock")
        }
    }

    @Test("a commit to the SQLite file by another connection wakes the engine (PRAGMA data_version)")
    func sqliteOtherWriters() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let (wakes, continuation) = AsyncStream.makeStream(of: Void.self)
            let listener = try #require(db.store.wakeListener(logger: TestDatabase.logger) { continuation.yield() })
            try await withDeadline {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await listener.run() }
                    var iterator = wakes.makeAsyncIterator()
                    // Keep committing until the watcher has seen the file once and then a change.
                    let writer = Task {
                        while !Task.isCancelled {
                            try await db.execute("INSERT INTO agent_tasks (task_type, agent_type) VALUES ('x', 'cli')")
                            try await Task.sleep(for: .milliseconds(50))
                        }
                    }
                    #expect(await iterator.next() != nil)
                    writer.cancel()
                    group.cancelAll()
                }
            }
        }
    }
}
