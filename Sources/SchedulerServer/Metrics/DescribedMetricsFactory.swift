import CoreMetrics
import Prometheus
import Scheduler

/// A swift-metrics backend on a Prometheus registry that gives every metric its
/// `# HELP` line (``MetricHelp``), which `promtool check metrics` requires and
/// swift-prometheus's own factory leaves out. Names, labels and buckets follow the
/// wrapped ``PrometheusMetricsFactory``; removal is its job too.
struct DescribedMetricsFactory: MetricsFactory {
    let base: PrometheusMetricsFactory

    private func descriptor(_ label: String, _ dimensions: [(String, String)]) -> (MetricNameDescriptor, [(String, String)]) {
        let (name, labels) = base.nameAndLabelSanitizer(label, dimensions)
        return (MetricNameDescriptor(metricName: name, unitName: "", helpText: MetricHelp.text(for: name)), labels)
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        let (descriptor, labels) = descriptor(label, dimensions)
        return base.registry.makeCounter(descriptor: descriptor, labels: labels)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        let (descriptor, labels) = descriptor(label, dimensions)
        return base.registry.makeCounter(descriptor: descriptor, labels: labels)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        let (descriptor, labels) = descriptor(label, dimensions)
        guard aggregate else { return base.registry.makeGauge(descriptor: descriptor, labels: labels) }
        let buckets = base.valueHistogramBuckets[descriptor.name] ?? base.defaultValueHistogramBuckets
        return base.registry.makeValueHistogram(descriptor: descriptor, labels: labels, buckets: buckets)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        let (descriptor, labels) = descriptor(label, dimensions)
        return base.registry.makeGauge(descriptor: descriptor, labels: labels)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let (descriptor, labels) = descriptor(label, dimensions)
        let buckets = base.durationHistogramBuckets[descriptor.name] ?? base.defaultDurationHistogramBuckets
        return base.registry.makeDurationHistogram(descriptor: descriptor, labels: labels, buckets: buckets)
    }

    func destroyCounter(_ handler: any CounterHandler) { base.destroyCounter(handler) }
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { base.destroyFloatingPointCounter(handler) }
    func destroyRecorder(_ handler: any RecorderHandler) { base.destroyRecorder(handler) }
    func destroyMeter(_ handler: any MeterHandler) { base.destroyMeter(handler) }
    func destroyTimer(_ handler: any TimerHandler) { base.destroyTimer(handler) }
}
