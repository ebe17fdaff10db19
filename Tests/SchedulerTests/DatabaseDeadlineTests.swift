import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Scheduler

/// A call whose answer never comes, as when PostgresNIO loses a statement with its
/// connection: it ignores cancellation and waits until the test lets it go.
private final class LostAnswer: Sendable {
    private let waiter = Mutex<CheckedContinuation<Int, Never>?>(nil)

    func call() async -> Int {
        await withCheckedContinuation { continuation in waiter.withLock { $0 = continuation } }
    }

    func release() {
        let waiter = waiter.withLock { waiter in defer { waiter = nil }; return waiter }
        waiter?.resume(returning: 0)
    }
}

@Suite("Database deadline", .timeLimit(.minutes(5)))
struct DatabaseDeadlineTests {
    @Test("a call that never answers ends in DatabaseTimeoutError naming the operation, not a hang")
    func lostAnswerTimesOut() async throws {
        let lost = LostAnswer()
        defer { lost.release() }
        try await withDeadline(.seconds(30)) {
            let error = await #expect(throws: DatabaseTimeoutError.self) {
                try await DatabaseDeadline.run("claim", within: .milliseconds(50)) { await lost.call() }
            }
            #expect(error?.operation == "claim")
            #expect(error?.description.contains("did not answer claim") == true)
        }
    }

    @Test("cancelling the caller ends its wait at once, whatever the bound and the call")
    func cancellationDoesNotWaitForTheCall() async throws {
        let lost = LostAnswer()
        defer { lost.release() }
        try await withDeadline(.seconds(30)) {
            let caller = Task { try await DatabaseDeadline.run("finish", within: .seconds(86_400)) { await lost.call() } }
            caller.cancel()
            await #expect(throws: CancellationError.self) { try await caller.value }
        }
    }

    @Test("answers and errors of calls within the bound pass through unchanged")
    func answersPassThrough() async throws {
        let answer = try await DatabaseDeadline.run("count", within: .seconds(60)) { 42 }
        #expect(answer == 42)
        await #expect(throws: SchedulerError.self) {
            try await DatabaseDeadline.run("task", within: .seconds(60)) { () async throws -> Int in
                throw SchedulerError.taskNotFound(UUID())
            }
        }
    }
}
