import Foundation
import Hummingbird
import Scheduler
import SchedulerRequests

/// `GET /metrics`: the Prometheus exposition of ``PrometheusExport``, with the queue
/// gauges fresh to within a few seconds.
struct MetricsRoute {
    let environment: APIEnvironment

    func response() async throws -> Response {
        guard let export = environment.export else {
            throw APIError(.notFound, code: "metrics_disabled", message: "this server exports no metrics")
        }
        let text = await export.scrape(
            store: environment.store, now: environment.clock.now, taskTypes: environment.registry.allTaskTypes)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
