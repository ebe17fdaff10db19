import Foundation
import Testing

@testable import Scheduler

@Suite("Running tasks")
struct RunningTasksTests {
    @Test("a handler that returned frees its slot while its result waits to be written, up to another concurrency's worth")
    func freeSlots() {
        let running = RunningTasks()
        let ids = (0..<4).map { _ in UUID() }
        for id in ids { running.insert(id) { _ in } }
        #expect(running.freeSlots(concurrency: 4) == 0)

        running.handlerReturned(ids[0])
        running.handlerReturned(ids[1])
        #expect(running.freeSlots(concurrency: 4) == 2)

        let more = (0..<2).map { _ in UUID() }
        for id in more { running.insert(id) { _ in } }
        for id in ids[2...] + more { running.handlerReturned(id) }
        // Six results wait to be written: four handlers could run, but only two more
        // results may queue up behind them.
        #expect(running.freeSlots(concurrency: 4) == 2)

        for id in ids { running.remove(id) }
        #expect(running.freeSlots(concurrency: 4) == 4)
    }
}
