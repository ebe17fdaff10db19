import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import Scheduler
import SchedulerRequests

/// `/dashboard`: the operator's pages, rendered on the server from the same reads as the
/// API: an overview (counts, due work, workers, schedules), the task list and a task's
/// detail with the actions that apply to it.
///
/// Not behind the bearer token (a browser cannot send one): with a token set, a session
/// cookie from `/dashboard/login` admits the operator; every action is a POST carrying
/// the session's CSRF token.
struct DashboardRoutes {
    let environment: APIEnvironment
    let auth: DashboardAuth

    init(environment: APIEnvironment) {
        self.environment = environment
        auth = DashboardAuth(apiToken: environment.configuration.apiToken)
    }

    /// Every dashboard route, for the router's 405 answers and the contract test.
    static let operations: [(method: HTTPRequest.Method, path: String)] = [
        (.get, "/dashboard"), (.get, "/dashboard/login"), (.post, "/dashboard/login"), (.post, "/dashboard/logout"),
        (.get, "/dashboard/tasks"), (.get, "/dashboard/tasks/{id}"), (.post, "/dashboard/tasks/{id}/{action}"),
        (.get, "/dashboard/events"), (.get, "/dashboard/bulk"), (.post, "/dashboard/bulk"), (.get, "/dashboard/app.js"),
    ]

    func register(on router: Router<SchedulerRequestContext>) {
        router.get("/dashboard") { request, _ in try await page(request) { try await overview($0) } }
        router.get("/dashboard/login") { _, _ in loginPage(failed: false) }
        router.post("/dashboard/login") { request, context in try await login(request, context: context) }
        router.post("/dashboard/logout") { request, context in
            try await action(request, context: context) { _ in try await logout(request) }
        }
        router.get("/dashboard/app.js") { _, _ in Self.script() }
        router.get("/dashboard/tasks") { request, _ in
            let since: SinceChoice?
            do {
                since = try Self.sinceChoice(request.uri.queryParameters["since"].map(String.init))
            } catch let error as APIError {
                return Self.html(error.status, Self.render("problem", ["title": "Cannot show that", "message": error.message]))
            }
            return try await page(request) { try await taskList(request, since: since, $0) }
        }
        router.get("/dashboard/tasks/{id}") { request, context in
            try await page(request) { try await taskDetail(try TaskRoutes.taskID(context), $0) }
        }
        router.get("/dashboard/events") { request, _ in try await events(request) }
        router.get("/dashboard/bulk") { request, _ in
            let query = request.uri.queryParameters
            let action = try BulkAction.named(query["action"].map(String.init))
            let name = try BulkAction.typeName(query["task_type"].map(String.init))
            return try await page(request) { visit in try await confirmBulk(action, try knownType(name), visit) }
        }
        router.post("/dashboard/bulk") { request, context in
            try await action(request, context: context, check: { form in
                _ = try BulkAction.named(form["action"])
                _ = try BulkAction.typeName(form["task_type"])
            }) {
                form in try await applyBulk(form)
            }
        }
        router.post("/dashboard/tasks/{id}/{action}") { request, context in
            let id = try TaskRoutes.taskID(context)
            guard let action = context.parameters.get("action").flatMap(TaskAction.init(rawValue:)) else {
                return Self.html(.notFound, Self.render("problem", [
                    "title": "Not found", "message": "No such action: use \(TaskAction.allCases.map(\.rawValue).joined(separator: ", ")).",
                ]))
            }
            return try await self.action(request, context: context) { _ in try await act(action, on: id) }
        }
    }

    // MARK: Sessions

    /// The page `render` builds for a visitor with a session; a visitor without one is
    /// sent to the login page (or, without a token, given a session).
    private func page(_ request: Request, _ render: (Visit) async throws -> String) async throws -> Response {
        let now = environment.clock.now
        var session = Self.session(in: request)
        var issued: String?
        if try await !isLive(session) {
            guard auth.token == nil else { return Self.redirect("/dashboard/login") }
            issued = auth.newSession(now: now)
            session = issued
        }
        let visit = Visit(
            csrf: auth.csrfToken(for: session ?? ""), loggedIn: auth.token != nil, notice: Self.flash(in: request),
            live: request.uri.path)
        do {
            var response = Self.html(.ok, try await render(visit), cookie: issued.map { DashboardAuth.cookie($0, for: request) })
            if visit.notice != nil { response.headers.append(HTTPField(name: .setCookie, value: Self.flashCookie(nil))) }
            return response
        } catch let redirect as Redirect {
            return Self.redirect(redirect.to)
        } catch let error as SchedulerError {
            return Self.html(APIError(error).status, Self.render("problem", visit.fields(["title": "Not found", "message": error.description])))
        } catch let error as APIError {
            return Self.html(error.status, Self.render("problem", visit.fields(["title": "Cannot show that", "message": error.message])))
        }
    }

    /// Runs a state-changing form post: only with a valid session and its CSRF token,
    /// after `check` has refused a form that could never be right (whoever sent it).
    private func action(
        _ request: Request, context: SchedulerRequestContext, check: (FormBody) throws -> Void = { _ in },
        _ perform: (FormBody) async throws -> Response
    ) async throws -> Response {
        let body = try await BodyReader.collect(request, upTo: 64 * 1024)
        let form = FormBody(String(buffer: body))
        try check(form)
        guard let session = Self.session(in: request), try await isLive(session) else {
            return Self.redirect("/dashboard/login")
        }
        guard auth.acceptsCSRF(form["csrf"], session: session) else {
            return Self.html(.forbidden, Self.render("problem", [
                "title": "Refused", "message": "The form's CSRF token is missing or stale: reload the page and try again.",
            ]))
        }
        return try await perform(form)
    }

    private func login(_ request: Request, context: SchedulerRequestContext) async throws -> Response {
        let form = FormBody(String(buffer: try await BodyReader.collect(request, upTo: 64 * 1024)))
        guard auth.acceptsToken(form["token"] ?? "") else { return loginPage(failed: true, status: .unauthorized) }
        var response = Self.redirect("/dashboard")
        response.headers[.setCookie] = DashboardAuth.cookie(auth.newSession(now: environment.clock.now), for: request)
        return response
    }

    /// Ends the session for every instance (its nonce is revoked in the database until it
    /// would have expired), then clears the cookie.
    private func logout(_ request: Request) async throws -> Response {
        if let session = Self.session(in: request), let (nonce, expires) = auth.nonceAndExpiry(of: session) {
            try await environment.store.revokeSession(nonce: nonce, expiresAt: expires, now: environment.clock.now)
        }
        var response = Self.redirect("/dashboard/login")
        response.headers[.setCookie] = DashboardAuth.expiredCookie(for: request)
        return response
    }

    private func loginPage(failed: Bool, status: HTTPResponse.Status = .ok) -> Response {
        guard auth.token != nil else { return Self.redirect("/dashboard") }
        return Self.html(status, Self.render("login", ["title": "Log in", "failed": failed]))
    }

    /// `GET /dashboard/events`: `GET /events` for a visitor with a session, which the
    /// pages' script follows to update what they show.
    private func events(_ request: Request) async throws -> Response {
        guard try await isLive(Self.session(in: request)) else {
            return Self.html(.unauthorized, Self.render("problem", ["title": "Log in", "message": "This stream needs a dashboard session."]))
        }
        return try EventRoutes(environment: environment).all(request)
    }

    // MARK: Pages

    private func taskDetail(_ id: UUID, _ visit: Visit) async throws -> String {
        let store = environment.store
        guard let task = try await store.task(id: id) else { throw SchedulerError.taskNotFound(id) }
        let representation = try JSONValue(encoding: try await TaskRepresentation.detail(of: task, from: store))
        var fields = DashboardValues.fields(representation)
        let path = "/dashboard/tasks/\(id.lowercasedString)"
        var actions: [[String: Any]] = []
        if !task.status.isFinal, task.cancelRequestedAt == nil { actions.append(["label": "Cancel", "path": "\(path)/cancel"]) }
        if task.status == .failed || task.status == .cancelled { actions.append(["label": "Retry", "path": "\(path)/retry"]) }
        if task.status == .pending { actions.append(["label": "Run now", "path": "\(path)/run"]) }
        let paused = try await store.pausedTaskTypes()[task.taskType] != nil
        if environment.registry.allTaskTypes.contains(task.taskType) {
            actions.append([
                "label": paused ? "Resume \(task.taskType)" : "Pause \(task.taskType)",
                "path": "\(path)/\(paused ? "resume-type" : "pause-type")",
            ])
        }
        let attempts = (fields["action_log"] as? [Any]) ?? []
        fields.removeValue(forKey: "action_log")
        var page: [String: Any] = [
            "title": "Task \(id.lowercasedString.prefix(8))", "task": fields, "context": DashboardValues.pretty(task.contextJSON),
            "liveTask": id.lowercasedString,
            "attempts": attempts, "actions": actions.map { $0.merging(["csrf": visit.csrf]) { $1 } },
        ]
        if let result = task.resultJSON { page["result"] = DashboardValues.pretty(result) }
        if task.status == .processing {
            page["running"] = [
                "attempt": task.attempt, "worker": task.lockedBy ?? "",
                "started": task.lastAttemptedAt.map(Timestamp.string(from:)) ?? "",
            ]
        }
        if case .object(let object) = representation, case .array(let webhooks)? = object["webhooks"], !webhooks.isEmpty {
            page["webhooks"] = DashboardValues.pretty(try JSONText.encode(JSONValue.array(webhooks)))
        }
        return Self.render("task", visit.fields(page))
    }

    /// The task type a bulk request names, known here: checked only once the session is,
    /// so that nobody without one learns which types exist.
    private func knownType(_ taskType: String?) throws -> String {
        guard let taskType, environment.registry.allTaskTypes.contains(taskType) else {
            throw SchedulerError.taskTypeNotFound(taskType ?? "")
        }
        return taskType
    }

    /// `GET /dashboard/bulk?action=&task_type=`: how many tasks it would change, and a
    /// button to confirm.
    private func confirmBulk(_ action: BulkAction, _ taskType: String, _ visit: Visit) async throws -> String {
        let store = environment.store
        let count = switch action {
        case .retryFailed: try await store.endedCounts().first { $0.taskType == taskType }?.failed ?? 0
        case .cancelPending: try await store.queue(now: environment.clock.now).first { $0.taskType == taskType }?.pending ?? 0
        }
        return Self.render("bulk", visit.fields([
            "title": "Confirm", "question": action.question(count, of: taskType), "count": count, "any": count > 0,
            "action": action.rawValue,
            "taskType": taskType, "limit": BulkAction.limit,
        ]))
    }

    /// `POST /dashboard/bulk`: applies the confirmed action, then back to the overview.
    private func applyBulk(_ form: FormBody) async throws -> Response {
        let action = try BulkAction.named(form["action"])
        let taskType = try knownType(form["task_type"])
        let changed = try await action.apply(to: taskType, store: environment.store, now: environment.clock.now)
        let done = action == .retryFailed ? "Retried \(changed) failed \(taskType) tasks." : "Cancelled \(changed) pending \(taskType) tasks."
        return Self.redirect("/dashboard", notice: done)
    }

    /// What a task's page can do to it.
    enum TaskAction: String, CaseIterable {
        case cancel, retry, run
        case pauseType = "pause-type"
        case resumeType = "resume-type"
    }

    /// Cancel, retry, run now, or pause or resume the task's type, then back to the task.
    private func act(_ action: TaskAction, on id: UUID) async throws -> Response {
        let store = environment.store
        let now = environment.clock.now
        let back = "/dashboard/tasks/\(id.lowercasedString)"
        do {
            let notice: String
            switch action {
            case .cancel:
                let task = try await store.cancel(id: id, now: now)
                notice = task.status == .processing ? "Asked the running task to stop." : "Cancelled."
            case .retry:
                _ = try await store.retry(id: id, now: now)
                notice = "Queued again, due now."
            case .run:
                let task = try await environment.engine.processNow(id: id)
                notice = "Ran it: \(task.status.rawValue)."
            case .pauseType, .resumeType:
                guard let task = try await store.task(id: id) else { throw SchedulerError.taskNotFound(id) }
                let control = TaskTypeControl(store: store, registry: environment.registry, configuration: environment.configuration)
                if action == .pauseType {
                    _ = try await control.pause(task.taskType, now: now)
                    notice = "Paused \(task.taskType) on every instance."
                } else {
                    _ = try await control.resume(task.taskType)
                    environment.engine.triggerPoll()
                    notice = "Resumed \(task.taskType)."
                }
            }
            return Self.redirect(back, notice: notice)
        } catch let error as SchedulerError {
            return Self.redirect(back, notice: error.description)
        }
    }

    // MARK: Helpers

    /// What every page shows besides its content.
    struct Visit {
        var csrf: String
        var loggedIn: Bool
        var notice: String?
        /// The page's path, which the script re-reads when an event concerns it.
        var live: String

        func fields(_ page: [String: Any]) -> [String: Any] {
            var fields = page
            fields["csrf"] = csrf
            fields["loggedIn"] = loggedIn
            fields["live"] = live
            fields["eventKinds"] = TaskEvent.Kind.allCases.map(\.rawValue).joined(separator: ",")
            if let notice { fields["notice"] = notice }
            return fields
        }
    }

    /// A page that sends the browser elsewhere (a task id searched for).
    struct Redirect: Error {
        let to: String
    }

    static func describe(_ limit: QueueStats.LimitStats) -> String {
        [limit.concurrency.map { "\($0) at once" }, limit.rate.map { "\($0)" }].compactMap { $0 }.joined(separator: ", ")
    }
}
