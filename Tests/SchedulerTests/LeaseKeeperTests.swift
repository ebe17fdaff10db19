import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Scheduler

@Suite("Lease keeper", .timeLimit(.minutes(5)))
struct LeaseKeeperTests {
    @Test("a lost lease cancels a running handler, not one whose result is already being written",
          arguments: StoreKind.available)
    func lostLease(kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { db in
            let configuration = EngineConfiguration(workerID: "keeper")
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let running = RunningTasks(concurrency: 10)
            let cancelled = Mutex<Set<String>>([])
            // Neither task is processing under this worker, as after a rescue by another
            // worker, or after this worker's own result write committed.
            let stolen = try await db.store.enqueue(NewTask(taskType: "noop", scheduledFor: now), now: now).task.id
            let written = try await db.store.enqueue(NewTask(taskType: "noop", scheduledFor: now), now: now).task.id
            running.insert(stolen) { _ in cancelled.withLock { _ = $0.insert("stolen") } }
            running.insert(written) { _ in cancelled.withLock { _ = $0.insert("written") } }
            // The written task's result is being written (its writer holds until the end).
            let (writingStarted, writing) = AsyncStream<Void>.makeStream()
            let (released, release) = AsyncStream<Void>.makeStream()
            let writer = Task {
                await running.handlerReturned(written, record: EngineStateTests().record(written)) { _ in
                    writing.yield()
                    for await _ in released { return }
                }
            }
            for await _ in writingStarted { break }

            let keeper = LeaseKeeper(
                store: db.store, running: running, configuration: configuration,
                clock: ManualClock(now), logger: TestDatabase.logger)
            await keeper.extendOnce()

            #expect(cancelled.withLock { $0 } == ["stolen"])
            #expect(running.activeIDs == [stolen])
            release.finish()
            await writer.value
        }
    }
}
