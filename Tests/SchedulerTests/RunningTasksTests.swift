import Foundation
import Testing

@testable import Scheduler

@Suite("Running tasks")
struct RunningTasksTests {
    @Test("a handler that returned frees its slot while its result waits to be written, up to one result batch's worth")
    func freeSlots() {
        let running = RunningTasks()
        let ids = (0..<4).map { _ in UUID() }
        for id in ids { running.insert(id) { _ in } }
        #expect(running.freeSlots(concurrency: 4) == 0)

        running.handlerReturned(ids[0])
        running.handlerReturned(ids[1])
        #expect(running.freeSlots(concurrency: 4) == 2)

        // 501 results wait to be written: four handlers could run, but concurrency plus
        // the backlog (504) leaves room for three more tasks, then one.
        let waiting = (0..<(RunningTasks.resultBacklog - 3)).map { _ in UUID() }
        for id in waiting {
            running.insert(id) { _ in }
            running.handlerReturned(id)
        }
        for id in ids[2...] { running.handlerReturned(id) }
        #expect(running.freeSlots(concurrency: 4) == 3)
        let more = (0..<2).map { _ in UUID() }
        for id in more { running.insert(id) { _ in } }
        #expect(running.freeSlots(concurrency: 4) == 1)

        for id in ids + waiting + more { running.remove(id) }
        #expect(running.freeSlots(concurrency: 4) == 4)
    }
}
