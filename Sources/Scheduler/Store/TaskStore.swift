import Foundation
import Logging
import ServiceLifecycle

/// The database behind the scheduler: one interface, implemented for PostgreSQL and
/// SQLite, and checked by one conformance suite that both must pass.
///
/// Every method that compares against time takes `now` from the caller, so the engine's
/// injected clock, not the database's, decides what is due. A store is a `Service`: its
/// `run()` keeps its connections alive and must be running while it is used.
public protocol TaskStore: Service {
    /// The database this store runs on.
    var databaseKind: DatabaseKind { get }

    /// Where the database is, without secrets, for logs and messages: a file path, or a
    /// host, port, database and user.
    var location: String { get }

    /// Throws ``DatabaseUnreachableError`` saying why, unless the database answers now.
    func checkReachable() async throws

    /// Closes what the store opened, for a store whose `run()` never started (an error
    /// before the service group began); `run()` closes it otherwise. Safe to call twice.
    func close() async

    /// Claims the database for this process's server where the database allows only one
    /// (a SQLite file); throws a ``ServingLockError`` naming the holder if another has it.
    /// Held until ``close()`` or the end of `run()`.
    func lockForServing() throws

    /// Applies the engine's migrations that are not applied yet, then those of each
    /// module, in order, all in one transaction; returns what it applied.
    @discardableResult
    func migrate(modules: [any SchemaModule]) async throws -> [AppliedMigration]

    /// Runs SQL statements (already split, such as ``SQLScript/statements(in:)``'s) in
    /// one transaction, ignoring any rows they return; a failure is a ``SQLScriptError``
    /// naming the statement.
    func run(statements: [String]) async throws

    /// The service that calls `wake` whenever another connection makes a task pending,
    /// or `nil` where this store cannot hear about other writers.
    func wakeListener(logger: Logger, wake: @escaping @Sendable () -> Void) -> (any Service)?

    /// The events of the changes this store commits (and, on PostgreSQL, those other
    /// instances announce): every change below publishes its events here once committed.
    var events: TaskEventBus { get }

    /// The store that talks to the database itself: `self`, or the one a wrapper (such as
    /// the bounded store) forwards to. Code in a dialect of its own (the handlers' domain
    /// tables, the benchmark's SQL) reaches its store's type through it (`accept`).
    var underlyingStore: any TaskStore { get }

    /// Inserts a task, or returns the existing one when its idempotency key is taken.
    func enqueue(_ task: NewTask, now: Date) async throws -> EnqueueResult

    /// Inserts tasks all together or not at all, in a few round trips whatever their
    /// number; each result, in the order given, is the new task or the one that holds
    /// its idempotency key (also when an earlier task of the batch took it).
    func enqueue(batch tasks: [NewTask], now: Date) async throws -> [EnqueueResult]

    /// Marks up to `limit` due, pending tasks of the given types `processing` under a lease
    /// held by `workerID`, and returns them ordered by priority rank, then `scheduled_for`.
    func claim(taskTypes: [String], limit: Int, workerID: String, leaseUntil: Date, now: Date) async throws -> [AgentTask]

    /// Claims one task by id regardless of its `scheduled_for`, if it is pending.
    func claim(id: UUID, workerID: String, leaseUntil: Date, now: Date) async throws -> AgentTask?

    /// Writes attempt results back: each task's new state and its action-log row, in one
    /// transaction per call. A record is applied only while its worker still holds the
    /// task's lease for that attempt; returns the ids that were applied.
    @discardableResult
    func finish(_ records: [AttemptRecord]) async throws -> Set<UUID>

    /// Moves the lease of the given tasks, each held by `workerID` for the attempt given
    /// with it, to `until`; returns the ids whose lease it still holds. A task that moved
    /// on to another attempt (rescued and claimed again, even by the same worker) is not
    /// renewed for the earlier one.
    @discardableResult
    func extendLeases(_ attempts: [UUID: Int], workerID: String, until: Date) async throws -> Set<UUID>

    /// Returns tasks whose lease ran out to `pending` (counting the attempt, with the retry
    /// policy's backoff) or fails them at their retry limit, each with an action-log row.
    /// Returns the ids it rescued.
    @discardableResult
    func rescueExpiredLeases(now: Date, policy: RetryPolicy, limit: Int) async throws -> [UUID]

    /// Puts tasks this worker holds back to `pending` without counting an attempt, as at
    /// shutdown; returns how many were released.
    @discardableResult
    func release(ids: [UUID], workerID: String, now: Date) async throws -> Int

    /// Cancels a pending task, or asks the worker of a running one to stop it (the task
    /// keeps `processing` with `cancelRequestedAt` set, publishing `task.cancel_requested`,
    /// and ends `cancelled` when its attempt ends); returns the task as it is now. Throws
    /// `SchedulerError` if it is missing or already final.
    func cancel(id: UUID, now: Date) async throws -> AgentTask

    /// The tasks among `ids` that are running with their cancellation requested: how an
    /// engine that missed the event finds them.
    func cancellationRequests(among ids: [UUID]) async throws -> Set<UUID>

    /// Makes a failed or cancelled task pending again, due now, with a fresh retry count.
    func retry(id: UUID, now: Date) async throws -> AgentTask

    /// Stores a running attempt's progress while `workerID` holds its lease; returns
    /// whether it did.
    @discardableResult
    func saveProgress(_ progress: TaskProgress, taskID: UUID, workerID: String) async throws -> Bool

    /// Records a worker's latest sighting; the first one of a worker id sets its start.
    func recordWorker(_ sighting: WorkerSighting) async throws

    /// The recorded workers, most recently seen first (at most
    /// ``WorkerStatus/listLimit``), each with the tasks it holds now.
    func workers() async throws -> [WorkerStatus]

    /// Marks up to `limit` due webhook deliveries as being sent by `dispatcherID` until
    /// `leaseUntil` and returns them; two dispatchers never get the same one.
    func claimDeliveries(limit: Int, dispatcherID: String, leaseUntil: Date, now: Date) async throws -> [WebhookDelivery]

    /// Records how sending a claimed delivery went, if `dispatcherID` still holds it.
    func recordDelivery(id: Int64, dispatcherID: String, result: WebhookAttemptResult) async throws

    /// The webhook deliveries of one task, oldest first.
    func deliveries(taskID: UUID) async throws -> [WebhookDelivery]

    /// The task with this id, if any.
    func task(id: UUID) async throws -> AgentTask?

    /// The tasks with these ids that exist, in no particular order.
    func tasks(ids: [UUID]) async throws -> [AgentTask]

    /// Tasks matching the filter, newest first.
    func tasks(matching filter: TaskFilter) async throws -> [AgentTask]

    /// Counts the live tasks (pending, processing) by status and type, through the
    /// indexes that hold only those, at most `limit` of each status (so the read stays
    /// bounded under any backlog; ``TaskCounts/capped`` says when one reached it);
    /// pending tasks whose type is not in `registeredTypes` are counted as unroutable.
    func counts(registeredTypes: [String], limit: Int) async throws -> TaskCounts

    /// The live tasks of each type that has any, through the indexes that hold only live
    /// tasks; `now` decides which pending ones are due.
    func queue(now: Date) async throws -> [TypeQueue]

    /// Failed and cancelled tasks by type over the whole history.
    func endedCounts() async throws -> [EndedCount]

    /// The attempts of the hour before `now`, among the `limit` most recent ones of the
    /// log (so the read stays bounded however busy the hour), summed up by task type and
    /// by worker.
    func attemptSummary(now: Date, limit: Int) async throws -> AttemptSummary

    /// The action-log rows of one task, oldest first.
    func actionLog(taskID: UUID) async throws -> [ActionLogEntry]

    /// The earliest `scheduled_for` of a pending task of the given types that are not
    /// paused, if any.
    func nextDueDate(taskTypes: [String]) async throws -> Date?

    /// Pauses a task type for every instance sharing the database: claims leave its
    /// pending tasks pending until it is resumed; running ones finish. Returns whether
    /// it was running before (`false`: it was paused already).
    @discardableResult
    func pause(taskType: String, now: Date) async throws -> Bool

    /// Lets claims take a paused type's tasks again; returns whether it was paused.
    @discardableResult
    func resume(taskType: String) async throws -> Bool

    /// The paused task types, with when each was paused.
    func pausedTaskTypes() async throws -> [String: Date]

    /// Deletes up to `limit` rows of `target` last changed before `before` (never a
    /// pending or processing task) in one short transaction; returns how many, or `nil`
    /// when another instance is pruning now.
    func prune(_ target: PruneTarget, before: Date, limit: Int) async throws -> Int?

    /// How many rows ``prune(_:before:limit:)`` would delete in all.
    func countPrunable(_ target: PruneTarget, before: Date) async throws -> Int

    /// Creates or replaces the schedule of `schedule.name` (keeping its creation time);
    /// returns whether it is new.
    @discardableResult
    func saveSchedule(_ schedule: Schedule) async throws -> Bool

    /// Every schedule, by name.
    func schedules() async throws -> [Schedule]

    /// Deletes a schedule and returns it, or `nil` if there was none.
    func deleteSchedule(named name: String) async throws -> Schedule?

    /// Moves a schedule's next tick from `from` to `to` (and its last run to `ranAt`) if
    /// it is still `from`: how one instance takes a tick. Returns whether it did.
    @discardableResult
    func advanceSchedule(named name: String, from: Date, to: Date?, ranAt: Date) async throws -> Bool

    /// The secret named `name` that every instance shares, storing `candidate` (random)
    /// as that secret if there is none yet; the first instance's candidate wins.
    func sharedKey(named name: String, creating candidate: String) async throws -> String

    /// Records that the dashboard session with `nonce` ended before `expiresAt`, for every
    /// instance; forgets revocations that expired before `now`.
    func revokeSession(nonce: String, expiresAt: Date, now: Date) async throws

    /// Whether the dashboard session with `nonce` was ended by a logout.
    func isSessionRevoked(nonce: String) async throws -> Bool

    /// The ids of tasks between the two ids, in order, at most `limit`: what resolves a
    /// prefix of an id (``TaskIDPrefix``).
    func taskIDs(in range: (low: UUID, high: UUID), limit: Int) async throws -> [UUID]
}
