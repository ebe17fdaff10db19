import Foundation
import Hummingbird
import Scheduler
import SchedulerRequests

/// `POST /schedules`, `GET /schedules`, `DELETE /schedules/{name}` and pausing or
/// resuming one (``ScheduleBook``).
struct ScheduleRoutes {
    let environment: APIEnvironment

    private var book: ScheduleBook { ScheduleBook(store: environment.store, registry: environment.registry) }

    /// `POST /schedules`: 201 with a new schedule, 200 when it replaced one of that name.
    func create(_ request: Request, context: some RequestContext) async throws -> Response {
        let fields = JSONFields(object: try await JSONBody.object(from: request, context: context))
        try fields.rejectUnknown(["name", "task_type", "cron", "timezone", "context", "priority", "user_id"])
        let scheduleRequest = ScheduleRequest(
            name: try fields.requiredString("name", maxLength: 100),
            taskType: try fields.requiredString("task_type", maxLength: 100),
            cron: try fields.requiredString("cron", maxLength: 200),
            timeZone: try fields.string("timezone", maxLength: 100) ?? "UTC",
            contextJSON: try fields.objectText("context") ?? "{}",
            priority: try fields.enumeration("priority", TaskPriority.self) ?? .medium,
            userID: try fields.uuid("user_id"))
        let now = environment.clock.now
        let (schedule, created) = try await book.save(scheduleRequest, now: now)
        return try JSONResponse.make(created ? .created : .ok, ScheduleRepresentation(schedule, now: now))
    }

    /// `GET /schedules`: `{"schedules": [...]}`, by name.
    func list() async throws -> Response {
        let now = environment.clock.now
        return try JSONResponse.make(
            .ok, ScheduleList(schedules: try await book.list().map { ScheduleRepresentation($0, now: now) }))
    }

    /// `DELETE /schedules/{name}`: the schedule removed.
    func remove(_ context: some RequestContext) async throws -> Response {
        let removed = try await book.remove(try Self.name(context))
        return try JSONResponse.make(.ok, ScheduleRepresentation(removed, now: environment.clock.now))
    }

    /// `POST /schedules/{name}/pause`.
    func pause(_ context: some RequestContext) async throws -> Response {
        let now = environment.clock.now
        return try JSONResponse.make(.ok, ScheduleRepresentation(try await book.pause(try Self.name(context), now: now), now: now))
    }

    /// `POST /schedules/{name}/resume`.
    func resume(_ context: some RequestContext) async throws -> Response {
        let now = environment.clock.now
        return try JSONResponse.make(.ok, ScheduleRepresentation(try await book.resume(try Self.name(context), now: now), now: now))
    }

    private static func name(_ context: some RequestContext) throws -> String {
        try context.parameters.require("name")
    }

    struct ScheduleList: Encodable {
        var schedules: [ScheduleRepresentation]
    }
}
