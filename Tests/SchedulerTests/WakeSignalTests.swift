import Foundation
import Testing

@testable import Scheduler

@Suite("Wake signal")
struct WakeSignalTests {
    /// Fails instead of hanging when `body` does not finish in `seconds`.
    func within(_ seconds: Int, _ body: @escaping @Sendable () async -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { await body(); return true }
            group.addTask { try await Task.sleep(for: .seconds(seconds)); return false }
            let finished = try await group.next() ?? false
            group.cancelAll()
            #expect(finished, "the wait did not end")
        }
    }

    @Test("a timeout that fires before the wait begins still ends the wait")
    func immediateTimeouts() async throws {
        try await within(30) {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let signal = WakeSignal()
                        for _ in 0..<3_000 { await signal.wait(timeout: .zero) }
                    }
                }
            }
        }
    }

    @Test("a signal sent before the wait is kept for it; a timed-out wait leaves none behind")
    func pendingSignal() async throws {
        let signal = WakeSignal()
        signal.signal()
        try await within(20) { await signal.wait(timeout: .seconds(3600)) }
        await signal.wait(timeout: .milliseconds(1))
        let started = ContinuousClock.now
        await signal.wait(timeout: .milliseconds(50))
        #expect(ContinuousClock.now - started >= .milliseconds(50))
    }
}
