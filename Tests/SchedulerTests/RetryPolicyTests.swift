import Foundation
import Testing

@testable import Scheduler

@Suite("Retry policy", .timeLimit(.minutes(5)))
struct RetryPolicyTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("waits double from the base delay")
    func doubling() {
        let policy = RetryPolicy(baseDelay: .seconds(60))
        #expect((0...3).map { policy.delay(retryCount: $0) } == [.seconds(60), .seconds(120), .seconds(240), .seconds(480)])
    }

    @Test("retries while retry_count < max_retries, then fails")
    func limit() {
        let policy = RetryPolicy()
        #expect(policy.decide(retryCount: 2, maxRetries: 3, retryable: true, now: now) == .retry(at: now.addingTimeInterval(240)))
        #expect(policy.decide(retryCount: 3, maxRetries: 3, retryable: true, now: now) == .fail)
        #expect(policy.decide(retryCount: 0, maxRetries: 3, retryable: false, now: now) == .fail)
    }

    @Test("odd max_retries values cannot break the arithmetic")
    func extremes() {
        let policy = RetryPolicy()
        #expect(policy.decide(retryCount: 0, maxRetries: -5, retryable: true, now: now) == .fail)
        #expect(policy.delay(retryCount: 1_000_000) == .seconds(86_400))
        #expect(policy.delay(retryCount: -3) == .seconds(60))
    }
}
