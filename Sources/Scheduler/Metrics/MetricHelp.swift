/// The `# HELP` text of every metric `GET /metrics` shows: what it counts, for the
/// operator reading a dashboard.
package enum MetricHelp {
    static let texts: [String: String] = [
        "agent_scheduler_tasks_claimed_total": "Tasks this instance claimed to run, by task type.",
        "agent_scheduler_tasks_completed_total": "Tasks this instance completed, by task type.",
        "agent_scheduler_tasks_failed_total": "Tasks that failed for good on this instance, by task type.",
        "agent_scheduler_tasks_retried_total": "Failed attempts on this instance that scheduled a retry, by task type.",
        "agent_scheduler_tasks_cancelled_total": "Tasks cancelled through this instance, by task type.",
        "agent_scheduler_tasks_rescued_total": "Tasks whose lease expired, rescued by this instance, by task type.",
        SchedulerMetrics.Name.attemptDuration: "How long attempts ran on this instance, by task type.",
        SchedulerMetrics.Name.taskWait: "How long tasks waited from scheduled_for to their start on this instance, by task type.",
        SchedulerMetrics.Name.streamClients: "Clients streaming events from this instance (GET /events, GET /tasks/{id}/events).",
        SchedulerMetrics.Name.databaseErrors: "Database calls of this instance that failed.",
        SchedulerMetrics.Name.webhookSends: "Webhook sends by this instance: delivered, to be retried, or given up.",
        QueueGauges.depthName: "Live tasks in the database by status (pending, processing) and task type.",
        QueueGauges.oldestDueName: "Seconds the oldest due pending task of each type has waited since its scheduled_for.",
        "agent_scheduler_http_requests_total": "HTTP requests answered, by route, method and status.",
        "agent_scheduler_http_request_errors_total": "HTTP requests that ended in an error, by route, method and status.",
        "agent_scheduler_http_request_duration_seconds": "How long HTTP requests took to answer, by route, method and status.",
        "agent_scheduler_http_active_requests": "HTTP requests being answered now, by method.",
    ]

    /// The help text for `name`; a metric this table misses still gets one.
    package static func text(for name: String) -> String {
        texts[name] ?? "agent-scheduler metric \(name)."
    }
}
