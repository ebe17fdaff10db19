import CoreMetrics
import Foundation
import Prometheus
import Scheduler

/// Where the metrics of `GET /metrics` live: one Prometheus registry, the swift-metrics
/// factory that fills it (Hummingbird's request metrics and ``SchedulerMetrics``), and
/// the queue gauges read from the database when scraped.
public final class PrometheusExport: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// The swift-metrics backend to bootstrap, or to hand to ``SchedulerMetrics``.
    public let factory: any MetricsFactory
    let queue: QueueGauges

    /// Hummingbird's request metrics under this product's prefix and Prometheus's
    /// conventions (counters end in `_total`, durations in `_seconds`).
    static let renamed = [
        "hb.requests": "agent_scheduler_http_requests_total",
        "hb.request.errors": "agent_scheduler_http_request_errors_total",
        "http.server.request.duration": "agent_scheduler_http_request_duration_seconds",
        "http.server.active_requests": "agent_scheduler_http_active_requests",
    ]

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            SchedulerMetrics.Name.attemptDuration: [
                .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500),
                .seconds(1), .seconds(5), .seconds(30), .seconds(120), .seconds(600), .seconds(3600),
            ],
            SchedulerMetrics.Name.taskWait: [
                .milliseconds(5), .milliseconds(50), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30),
                .seconds(60), .seconds(300), .seconds(900), .seconds(3600), .seconds(21_600), .seconds(86_400),
            ],
        ]
        factory.nameAndLabelSanitizer = { name, labels in
            (Self.renamed[name] ?? name, labels.map { ($0.0.replacingOccurrences(of: ".", with: "_"), $0.1) })
        }
        self.factory = DescribedMetricsFactory(base: factory)
        queue = QueueGauges(factory: self.factory)
    }

    /// The exposition text, with the queue gauges at most ``QueueGauges/maximumAge`` old.
    func scrape(store: any TaskStore, now: Date, taskTypes: [String]) async -> String {
        await queue.refresh(store: store, now: now, taskTypes: taskTypes)
        return registry.emitToString()
    }
}
