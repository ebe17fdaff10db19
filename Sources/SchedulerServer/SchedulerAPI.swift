import Foundation
import Hummingbird
import Logging
import NIOCore
import Scheduler
import ServiceLifecycle

/// Builds the scheduler's HTTP application: the router with every endpoint, the error
/// and authentication middleware, and the bind address checked against the token rule.
public enum SchedulerAPI {
    /// The router: `/health` open to all (and `/metrics` with `METRICS_PUBLIC`),
    /// everything else behind the bearer token when one is configured.
    public static func router(_ environment: APIEnvironment) -> Router<SchedulerRequestContext> {
        let router = Router(context: SchedulerRequestContext.self)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: JSONErrorMiddleware(routes: operations))
        let configuration = environment.configuration
        router.add(middleware: RequestSourceMiddleware(
            hosts: AllowedHosts.serving(bindHost: configuration.host, given: configuration.allowedHosts)))
        let health = HealthRoute(environment: environment)
        let token = environment.configuration.apiToken.map(BearerTokenMiddleware<SchedulerRequestContext>.init(token:))
        router.get("/health") { request, _ in
            try await health.response(authorized: token.map { $0.accepts(request) } ?? true)
        }
        DashboardRoutes(environment: environment).register(on: router)

        let api = router.group()
        if let token = environment.configuration.apiToken {
            api.add(middleware: BearerTokenMiddleware(token: token))
        }
        let metrics = MetricsRoute(environment: environment)
        if environment.configuration.metricsPublic {
            router.get("/metrics") { _, _ in try await metrics.response() }
        } else {
            api.get("/metrics") { _, _ in try await metrics.response() }
        }
        let stats = StatsRoute(environment: environment)
        api.get("/stats") { _, _ in try await stats.response() }
        let tasks = TaskRoutes(environment: environment)
        let events = EventRoutes(environment: environment)
        api.get("/events") { request, _ in try events.all(request) }
        api.post("/tasks") { request, context in try await tasks.create(request, context: context) }
        api.post("/tasks/batch") { request, context in try await tasks.createBatch(request, context: context) }
        api.get("/tasks") { request, _ in try await tasks.list(request) }
        api.get("/tasks/{id}") { request, context in try await tasks.show(request, context: context) }
        api.get("/tasks/{id}/events") { request, context in try await events.task(request, context: context) }
        api.post("/tasks/{id}/cancel") { _, context in try await tasks.cancel(context) }
        api.post("/tasks/{id}/retry") { _, context in try await tasks.retry(context) }
        let workers = WorkerRoutes(environment: environment)
        api.post("/workers/claim") { request, context in try await workers.claim(request, context: context) }
        api.get("/workers") { _, _ in try await workers.list() }
        api.post("/tasks/{id}/heartbeat") { request, context in try await workers.heartbeat(request, context: context) }
        api.post("/tasks/{id}/complete") { request, context in try await workers.complete(request, context: context) }
        api.post("/tasks/{id}/fail") { request, context in try await workers.fail(request, context: context) }
        let taskTypes = TaskTypeRoutes(environment: environment)
        api.get("/task-types") { _, _ in try await taskTypes.list() }
        api.post("/task-types/{type}/pause") { _, context in try await taskTypes.pause(context) }
        api.post("/task-types/{type}/resume") { _, context in try await taskTypes.resume(context) }
        let schedules = ScheduleRoutes(environment: environment)
        api.post("/schedules") { request, context in try await schedules.create(request, context: context) }
        api.get("/schedules") { _, _ in try await schedules.list() }
        api.delete("/schedules/{name}") { _, context in try await schedules.remove(context) }
        api.post("/schedules/{name}/pause") { _, context in try await schedules.pause(context) }
        api.post("/schedules/{name}/resume") { _, context in try await schedules.resume(context) }
        let agentTools = AgentToolRoute(sessions: environment.agentSessions)
        for method in [HTTPRequest.Method.post, .get, .delete] {
            api.on("/mcp", method: method) { request, context in try await agentTools.respond(request, context: context) }
        }
        api.post("/process-task") { request, context in try await tasks.processNow(request, context: context) }
        api.post("/trigger-poll") { _, _ in try tasks.triggerPoll() }
        return router
    }

    /// Every operation the router serves, as (method, path template); the error
    /// middleware uses it to answer 405 with `Allow` for a known path and another method.
    static let operations: [(method: HTTPRequest.Method, path: String)] = [
        (.get, "/health"), (.get, "/metrics"), (.get, "/stats"), (.get, "/events"), (.get, "/tasks/{id}/events"),
        (.post, "/tasks"), (.post, "/tasks/batch"), (.get, "/tasks"), (.get, "/tasks/{id}"),
        (.post, "/tasks/{id}/cancel"), (.post, "/tasks/{id}/retry"),
        (.post, "/workers/claim"), (.get, "/workers"), (.post, "/tasks/{id}/heartbeat"),
        (.post, "/tasks/{id}/complete"), (.post, "/tasks/{id}/fail"),
        (.get, "/task-types"), (.post, "/task-types/{type}/pause"), (.post, "/task-types/{type}/resume"),
        (.post, "/schedules"), (.get, "/schedules"), (.delete, "/schedules/{name}"),
        (.post, "/schedules/{name}/pause"), (.post, "/schedules/{name}/resume"),
        (.post, "/mcp"), (.get, "/mcp"), (.delete, "/mcp"), (.post, "/process-task"), (.post, "/trigger-poll"),
    ] + DashboardRoutes.operations

    /// The application serving the router on `HOST`:`PORT`, running `services` (store,
    /// rescuer, engine) alongside the server so that SIGTERM stops them all in order;
    /// `onServerRunning` runs once the port is bound.
    ///
    /// Without an API token the server only binds a loopback address; any other address
    /// is a start-up error.
    public static func application(
        _ environment: APIEnvironment,
        services: [any Service],
        logger: Logger,
        onServerRunning: @escaping @Sendable () async -> Void = {}
    ) throws(ConfigurationError) -> some ApplicationProtocol {
        let configuration = environment.configuration
        try configuration.checkServing()
        let idle = TimeAmount.milliseconds(Int64(configuration.httpIdleTimeout.timeInterval * 1000))
        return Application(
            router: router(environment),
            server: .http1(configuration: .init(idleTimeout: idle)),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "agent-scheduler"),
            services: services,
            onServerRunning: { _ in await onServerRunning() },
            logger: logger
        )
    }
}
