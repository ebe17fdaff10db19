import Foundation
import Hummingbird
import Scheduler

/// `GET /task-types` and pausing or resuming a type for every instance
/// (``TaskTypeControl``).
struct TaskTypeRoutes {
    let environment: APIEnvironment

    private var control: TaskTypeControl {
        TaskTypeControl(store: environment.store, registry: environment.registry, configuration: environment.configuration)
    }

    /// `GET /task-types`: `{"task_types": [...]}`.
    func list() async throws -> Response {
        try JSONResponse.make(.ok, TaskTypeList(taskTypes: try await control.list()))
    }

    /// `POST /task-types/{type}/pause`: the type's state, now paused.
    func pause(_ context: some RequestContext) async throws -> Response {
        try JSONResponse.make(.ok, try await control.pause(try Self.taskType(context), now: environment.clock.now))
    }

    /// `POST /task-types/{type}/resume`: the type's state, running again. Its waiting
    /// tasks are due at once: this engine is woken (and, on PostgreSQL, every other one
    /// by the resume's NOTIFY).
    func resume(_ context: some RequestContext) async throws -> Response {
        let state = try await control.resume(try Self.taskType(context))
        environment.engine.triggerPoll()
        return try JSONResponse.make(.ok, state)
    }

    private static func taskType(_ context: some RequestContext) throws -> String {
        try context.parameters.require("type")
    }

    struct TaskTypeList: Encodable {
        var taskTypes: [TaskTypeState]

        enum CodingKeys: String, CodingKey {
            case taskTypes = "task_types"
        }
    }
}
