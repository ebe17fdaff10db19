import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Claims due tasks and runs them through their handlers: the scheduler's heart.
///
/// The poller claims as many tasks as there is room for (at most `batchSize` a claim;
/// a handler that returned frees its slot while its result is written, and when
/// handlers return as fast as claims travel, up to a claim's worth more are claimed
/// ahead of them: ``EngineState/room``, where the engine's bookkeeping lives); it sleeps until woken,
/// the next task is due, or the poll interval passes, and keeps the leases of the tasks
/// it holds fresh. At most `concurrency` handlers run at once. On graceful shutdown it
/// stops claiming, releases the tasks claimed ahead at once, gives running handlers
/// `shutdownGrace` to finish, then cancels the rest and releases their tasks to
/// `pending`, none of them charged an attempt.
public final class Engine: Service {
    let store: any TaskStore
    let registry: HandlerRegistry
    public let configuration: EngineConfiguration
    let clock: any WallClock
    package let logger: Logger
    let runner: AttemptRunner
    let running: RunningTasks
    let wake = WakeSignal()
    /// Wakes remote workers' claims waiting for a task, on the signals that wake the poller.
    let arrivals = ArrivalBroadcast()
    /// The engine's places on its store's events (cancellations and wake-ups, metrics),
    /// ended when it stops or is discarded.
    private let observations: [TaskEventObservation]
    let stopping = Atomic(false)
    let results: ResultWriter
    /// What this engine has done since it started.
    public let counters = EngineCounters()
    /// What `GET /metrics` shows of this engine's work.
    public let metrics: SchedulerMetrics
    let presence: WorkerPresence

    public init(
        store: any TaskStore,
        registry: HandlerRegistry,
        configuration: EngineConfiguration = EngineConfiguration(),
        clock: any WallClock = SystemClock(),
        metrics: SchedulerMetrics = SchedulerMetrics(),
        logger: Logger
    ) {
        var logger = logger
        logger[metadataKey: "worker_id"] = "\(configuration.workerID)"
        self.store = store
        self.registry = registry
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        self.running = RunningTasks(concurrency: configuration.concurrency, batchSize: configuration.batchSize)
        self.runner = AttemptRunner(store: store, registry: registry, configuration: configuration, clock: clock, logger: logger)
        self.results = ResultWriter(store: store, metrics: metrics, logger: logger)
        self.metrics = metrics
        self.presence = WorkerPresence(
            store: store, workerID: configuration.workerID, taskTypes: registry.taskTypes,
            interval: configuration.presenceInterval, clock: clock, logger: logger)
        // A cancellation requested here, or (PostgreSQL) announced by another instance;
        // and a task of ours made pending by anyone in this process (an enqueue through
        // any entry point, a retry, a release), so no caller has to remember to wake us.
        // A task due later wakes the poller too, so that it sleeps until that task is
        // due rather than for the rest of its poll interval.
        let counting = metrics.count(eventsOf: store.events, taskTypes: registry.allTaskTypes)
        let reacting = store.events.observe { [running, wake, arrivals] event in
            switch event.kind {
            case .cancelRequested:
                running.cancel([event.taskID], reason: .requested)
            case .created, .retried, .released:
                guard event.isLocal, registry.contains(event.taskType) || registry.isRemote(event.taskType) else { return }
                wake.signal()
                arrivals.signal()
            default:
                break
            }
        }
        observations = [counting, reacting]
    }

    deinit {
        for observation in observations { observation.end() }
    }

    /// Stops waiting for running handlers at shutdown (a second SIGTERM or Ctrl-C): they
    /// are cancelled and their tasks released to `pending` at once, without charging an
    /// attempt, as when the grace period runs out.
    public func abandonShutdownGrace() {
        running.stopWaiting()
    }

    /// Wakes the poller now, e.g. after an enqueue in this process or `POST /trigger-poll`.
    public func triggerPoll() {
        wake.signal()
        arrivals.signal()
    }

    /// Runs until graceful shutdown (or cancellation), then drains as described above.
    public func run() async {
        logger.info("engine started", metadata: [
            "task_types": "\(registry.taskTypes.joined(separator: ","))",
            "concurrency": "\(configuration.concurrency)",
        ])
        let keeper = LeaseKeeper(
            store: store, running: running, configuration: configuration, clock: clock, metrics: metrics, logger: logger)
        await withDiscardingTaskGroup { group in
            group.addTask { await keeper.run() }
            group.addTask { await keeper.watchCancellations() }
            group.addTask { await self.presence.run() }
            await withGracefulShutdownHandler {
                await self.pollLoop(group: &group)
            } onGracefulShutdown: {
                self.stopping.store(true, ordering: .relaxed)
                self.wake.signal()
                // Tasks claimed ahead are released at once, not waited for.
                let count = self.running.ids.count - self.running.waitingIDs.count
                if count > 0 {
                    let seconds = self.configuration.shutdownGrace.timeInterval.formatted()
                    self.logger.notice("stopping: waiting up to \(seconds) s for \(count) running task\(count == 1 ? "" : "s")")
                }
            }
            await drain()
            group.cancelAll()
        }
        for observation in observations { observation.end() }
        logger.info("engine stopped")
    }

    /// Claims and runs due tasks until stopped.
    private func pollLoop(group: inout DiscardingTaskGroup) async {
        while !stopping.load(ordering: .relaxed), !Task.isCancelled {
            let free = running.room
            var claimedAll = false
            if free > 0 {
                let limit = min(free, configuration.batchSize)
                let asked = ContinuousClock.now
                guard let claimed = await claim(limit: limit) else {
                    await wake.wait(timeout: min(configuration.pollInterval, Self.claimRetryDelay))
                    continue
                }
                running.claimTook(.now - asked)
                for task in claimed { start(task, in: &group) }
                claimedAll = claimed.count == limit
            }
            let left = running.room
            if claimedAll, left > 0 { continue }
            await wake.wait(timeout: await idleWait(room: left))
        }
    }

    /// How long to sleep when idle (``ClaimWait``), at most the poll interval.
    private func idleWait(room: Int) async -> Duration {
        guard room > 0,
            let next = try? await store.nextDueDate(taskTypes: registry.taskTypes)
        else { return configuration.pollInterval }
        return ClaimWait.duration(nextDue: next, now: clock.now, maximum: configuration.pollInterval)
    }

    /// How soon a claim that failed (database down, SQLite file locked) is tried again.
    static let claimRetryDelay = Duration.seconds(1)

    /// Claims up to `limit` due tasks; `nil` when the database could not be reached.
    private func claim(limit: Int) async -> [AgentTask]? {
        let now = clock.now
        do {
            return try await store.claim(
                taskTypes: registry.taskTypes,
                limit: limit,
                workerID: configuration.workerID,
                leaseUntil: now.addingTimeInterval(configuration.lease.timeInterval),
                now: now
            )
        } catch {
            if !Task.isCancelled {
                metrics.databaseError()
                logger.error("claim failed; will try again", metadata: [
                    "error": "\(DatabaseErrorDescription.describe(error))",
                ])
            }
            return nil
        }
    }

    /// Registers the attempt, then runs it as a child of the poller's group once a
    /// handler slot is free. The handler itself runs in a task of its own
    /// (``HandlerExecution``), so one that ignores cancellation cannot hold up shutdown.
    private func start(_ task: AgentTask, in group: inout DiscardingTaskGroup) {
        let execution = register(task, waitsForSlot: true)
        group.addTask {
            await self.attempt(task, in: execution)
            self.wake.signal()
        }
    }

    /// Registers an attempt before it starts, so the next claim already counts it and
    /// shutdown or the lease keeper can cancel it; one that `waitsForSlot` starts when
    /// fewer than `concurrency` handlers run.
    private func register(_ task: AgentTask, waitsForSlot: Bool = false) -> HandlerExecution {
        let execution = HandlerExecution()
        running.insert(task.id, attempt: task.attempt, timeout: runner.timeout(for: task), waitsForSlot: waitsForSlot) {
            reason in execution.cancel(reason)
        }
        return execution
    }

    /// Runs a registered attempt, writes its result, and unregisters it; returns the
    /// record, or `nil` when the attempt was cancelled.
    @discardableResult
    private func attempt(_ task: AgentTask, in execution: HandlerExecution) async -> AttemptRecord? {
        // Refused a slot only when cancelled while waiting: the runner then ends the
        // attempt as the cancellation says without running the handler.
        _ = await running.takeSlot(task.id)
        guard let record = await runner.run(task, in: execution) else {
            running.remove(task.id)
            return nil
        }
        account(record)
        // Its slot is free once the handler returned: the next claim need not wait for
        // this result's commit, which goes with the others that finish meanwhile.
        await running.handlerReturned(task.id, record: record, write: results.write, slotFreed: wake.signal)
        return record
    }

    /// What every attempt's end costs, in-process or remote (``RemoteAttempts``): the
    /// counters `/health` shows, the metrics and the log line.
    func account(_ record: AttemptRecord) {
        counters.record(record.outcome, at: record.finishedAt)
        metrics.attemptFinished(record)
        switch record.outcome {
        case .completed:
            logger.log(level: configuration.logAttempts ? .info : .debug, "task completed", metadata: record.logMetadata)
        case .retry:
            logger.warning("attempt failed; will retry", metadata: record.logMetadata)
        case .failed:
            logger.error("task failed for good", metadata: record.logMetadata)
        case .cancelled:
            logger.notice("task cancelled on request", metadata: record.logMetadata)
        }
    }

    /// At shutdown: puts the tasks claimed ahead back to `pending` at once, waits up to
    /// the grace period for running handlers, then cancels what still runs and puts
    /// those tasks back too.
    private func drain() async {
        let unstarted = running.withdrawWaiting()
        if !unstarted.isEmpty { await release(unstarted) }
        await running.waitUntilEmpty(timeout: configuration.shutdownGrace)
        let leftover = running.ids
        guard !leftover.isEmpty else { return }
        running.cancel(leftover)
        await release(leftover)
    }

    /// Puts tasks this engine holds back to `pending` without charging an attempt.
    private func release(_ ids: [UUID]) async {
        do {
            let released = try await store.release(ids: ids, workerID: configuration.workerID, now: clock.now)
            logger.info("released unfinished tasks at shutdown", metadata: ["count": "\(released)"])
        } catch {
            logger.error("could not release tasks at shutdown; their leases will expire", metadata: [
                "error": "\(DatabaseErrorDescription.describe(error))",
            ])
        }
    }

    // MARK: Running without the loop

    /// Runs one pending task now, whatever its `scheduled_for`, and returns it as it ended
    /// up (`completed`, `failed`, or `pending` again for a retry). For `POST /process-task`.
    ///
    /// Throws ``SchedulerError/taskNotFound(_:)`` for an unknown id,
    /// ``SchedulerError/invalidTransition(id:status:action:)`` when the task is not pending
    /// (already running or finished), and ``SchedulerError/unknownTaskType(_:)`` when no
    /// handler here can run it.
    public func processNow(id: UUID) async throws -> AgentTask {
        guard let current = try await store.task(id: id) else { throw SchedulerError.taskNotFound(id) }
        if registry.isRemote(current.taskType) {
            throw SchedulerError.invalidInput(
                field: "task_id",
                reason: "task \(id.lowercasedString) is of remote type '\(current.taskType)': remote workers run it (POST /workers/claim)")
        }
        guard registry.contains(current.taskType) else { throw SchedulerError.unknownTaskType(current.taskType) }
        let now = clock.now
        guard
            let task = try await store.claim(
                id: id,
                workerID: configuration.workerID,
                leaseUntil: now.addingTimeInterval(configuration.lease.timeInterval),
                now: now
            )
        else {
            let status = try await store.task(id: id)?.status ?? current.status
            throw SchedulerError.invalidTransition(id: id, status: status, action: "process")
        }
        await attempt(task, in: register(task))
        return try await store.task(id: id) ?? task
    }

    /// Claims one batch of due tasks, runs them all and records the results; returns the
    /// attempt records. For `serve --until-idle`, tests and tools.
    @discardableResult
    public func processDueTasks() async -> [AttemptRecord] {
        let claimed = await claim(limit: configuration.batchSize) ?? []
        let attempts = claimed.map { task in (task, register(task)) }
        return await withTaskGroup(of: AttemptRecord?.self) { group in
            for (task, execution) in attempts {
                group.addTask { await self.attempt(task, in: execution) }
            }
            var records: [AttemptRecord] = []
            for await record in group { if let record { records.append(record) } }
            return records
        }
    }

    /// Processes due tasks batch after batch until none is due, renewing the leases of
    /// running attempts as the poll loop does (so a handler longer than the lease is not
    /// rescued by another instance); returns every record.
    @discardableResult
    public func runUntilIdle() async -> [AttemptRecord] {
        let keeper = LeaseKeeper(
            store: store, running: running, configuration: configuration, clock: clock, metrics: metrics, logger: logger)
        return await withTaskGroup(of: Void.self) { group in
            group.addTask { await keeper.run() }
            var records: [AttemptRecord] = []
            while true {
                let batch = await processDueTasks()
                if batch.isEmpty { break }
                records += batch
            }
            group.cancelAll()
            return records
        }
    }
}
