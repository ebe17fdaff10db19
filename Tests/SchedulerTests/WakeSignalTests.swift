import Foundation
import TestSupport
import Testing

@testable import Scheduler

@Suite("Wake signal", .timeLimit(.minutes(5)))
struct WakeSignalTests {
    @Test("waits with a zero timeout end, however their timers and registrations interleave")
    func immediateTimeouts() async throws {
        try await withDeadline(.seconds(30)) {
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

    @Test("a wait that ended on a signal leaves nothing behind that could strand the next wait without its timeout")
    func signalledWaitsThenTimeouts() async throws {
        try await withDeadline(.seconds(30)) {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let signal = WakeSignal()
                        for _ in 0..<3_000 {
                            signal.signal()
                            await signal.wait(timeout: .zero)
                            await signal.wait(timeout: .zero)
                        }
                    }
                }
            }
        }
    }

    @Test("a signal sent before the wait is kept for it; a timed-out wait leaves none behind")
    func pendingSignal() async throws {
        let signal = WakeSignal()
        signal.signal()
        try await withDeadline(.seconds(20)) { await signal.wait(timeout: .seconds(3600)) }
        await signal.wait(timeout: .milliseconds(1))
        let started = ContinuousClock.now
        await signal.wait(timeout: .milliseconds(50))
        #expect(ContinuousClock.now - started >= .milliseconds(50))
    }
}
