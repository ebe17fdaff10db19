import Synchronization
import Testing

@testable import Scheduler

@Suite("Handler deadlines", .timeLimit(.minutes(5)))
struct HandlerDeadlinesTests {
    /// The names of the deadlines that expired, in order, and a stream that yields each.
    final class Expiries: Sendable {
        let names = Mutex<[String]>([])
        let stream: AsyncStream<String>
        private let continuation: AsyncStream<String>.Continuation

        init() {
            (stream, continuation) = AsyncStream.makeStream()
        }

        func expire(_ name: String) -> @Sendable () -> Void {
            { [self] in
                names.withLock { $0.append(name) }
                continuation.yield(name)
            }
        }
    }

    @Test("an earlier deadline added after a later one expires first, and the later one stays pending")
    func earlierDeadlineReplacesTheSleeper() async {
        let deadlines = HandlerDeadlines()
        let expiries = Expiries()
        _ = deadlines.add(deadline: .now + .seconds(3600), expire: expiries.expire("in an hour"))
        _ = deadlines.add(deadline: .now, expire: expiries.expire("now"))
        var iterator = expiries.stream.makeAsyncIterator()
        #expect(await iterator.next() == "now")
        #expect(expiries.names.withLock { $0 } == ["now"])
        #expect(deadlines.pendingCount == 1)
    }

    @Test("a removed deadline never expires; the ones after it still do")
    func removedDeadline() async {
        let deadlines = HandlerDeadlines()
        let expiries = Expiries()
        let removed = deadlines.add(deadline: .now + .milliseconds(200), expire: expiries.expire("removed"))
        _ = deadlines.add(deadline: .now + .milliseconds(300), expire: expiries.expire("kept"))
        deadlines.remove(removed)
        var iterator = expiries.stream.makeAsyncIterator()
        #expect(await iterator.next() == "kept")
        #expect(expiries.names.withLock { $0 } == ["kept"])
        #expect(deadlines.pendingCount == 0)
    }
}
