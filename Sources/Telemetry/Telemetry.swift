public import CoreMetrics
public import Prometheus
import Synchronization

/// The process's metrics: libraries record through swift-metrics (the scheduler's pass, try and hand-off timers,
/// Hummingbird's request metrics), and ``bootstrap()`` points swift-metrics at one Prometheus registry that the
/// dashboard's and the scheduler's `/metrics` emit.
///
/// ```swift
/// Telemetry.bootstrap()                       // once, at the start of a command that serves or schedules
/// let text = Telemetry.text()
/// ```
public enum Telemetry {
    /// The registry swift-metrics records into once bootstrapped.
    public static let registry = PrometheusCollectorRegistry()

    private static let bootstrapped = Mutex(false)

    /// What this process recorded, in the Prometheus text format.
    public static func text() -> String { registry.emitToString() }

    /// Makes swift-metrics record into ``registry`` with the documented names, help texts and buckets. Idempotent
    /// (swift-metrics itself allows one bootstrap per process).
    public static func bootstrap() {
        bootstrapped.withLock { done in
            guard !done else { return }
            done = true
            MetricsSystem.bootstrap(NamingFactory(registry: registry))
        }
    }

    /// What a swift-metrics label becomes in Prometheus: a documented name, its help text, its dimensions renamed, and
    /// (for timers) its buckets in seconds.
    public struct Family: Sendable {
        public var name: String
        public var unit: String
        public var help: String
        public var labels: [String: String]
        public var buckets: [Double]
    }

    /// The families recorded through swift-metrics, by the label they are recorded under.
    public static let families: [String: Family] = {
        let http = ["http.route": "route", "http.request.method": "method", "http.response.status_code": "status"]
        let list = [
            // The scheduler (Sources/Scheduler/SchedulerMetrics.swift records them).
            ("nightshift.scheduler.pass", Family(
                name: "nightshift_scheduler_pass_duration", unit: "seconds",
                help: "Wall-clock time of one scheduling pass (create due runs, apply ended tries, queue and start ready ones).",
                labels: [:], buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5])),
            ("nightshift.task.try.duration", Family(
                name: "nightshift_task_try_duration", unit: "seconds",
                help: "Wall-clock duration of task tries this scheduler started, from launch to the process's exit.",
                labels: ["dag.id": "dag_id"], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600])),
            ("nightshift.task.handoff", Family(
                name: "nightshift_task_handoff", unit: "seconds",
                help: "Seconds from the last upstream try's end (its body returned) to the scheduler starting the downstream task's first try.",
                labels: ["dag.id": "dag_id"], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30])),
            ("nightshift.notifications", Family(
                name: "nightshift_notifications", unit: "total",
                help: "Notifications sent (kind: webhook or command; outcome: delivered or failed). A failure never fails a run.",
                labels: [:], buckets: [])),
            // Hummingbird's MetricsMiddleware.
            ("http.server.request.duration", Family(
                name: "nightshift_http_request_duration", unit: "seconds",
                help: "HTTP request latency by route pattern, method and status, until the response body is written.",
                labels: http, buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5])),
            ("hb.requests", Family(
                name: "nightshift_http_requests", unit: "total", help: "HTTP requests answered, by route pattern, method and status.",
                labels: http, buckets: [])),
            ("hb.request.errors", Family(
                name: "nightshift_http_request_errors", unit: "total", help: "HTTP requests that ended in an error, by route pattern, method and status.",
                labels: ["http.route": "route", "http.request.method": "method", "error.type": "status"], buckets: [])),
            ("http.server.active_requests", Family(
                name: "nightshift_http_active_requests", unit: "", help: "HTTP requests being answered now, by method.",
                labels: ["http.request.method": "method"], buckets: [])),
        ]
        return Dictionary(uniqueKeysWithValues: list)
    }()
}

/// A `MetricsFactory` over a ``PrometheusCollectorRegistry`` that gives the ``Telemetry/families`` their documented
/// names, help texts and buckets (swift-prometheus's own factory registers every family without help text), and any
/// other label a valid Prometheus name.
struct NamingFactory: MetricsFactory {
    let registry: PrometheusCollectorRegistry
    let fallback: PrometheusMetricsFactory

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        var fallback = PrometheusMetricsFactory(registry: registry)
        fallback.nameAndLabelSanitizer = { name, labels in
            (Self.sanitized(name), labels.map { (Self.sanitized($0.0), $0.1) })
        }
        self.fallback = fallback
    }

    static func sanitized(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    private func descriptor(_ family: Telemetry.Family) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: family.name, unitName: family.unit, helpText: family.help)
    }

    private func labels(_ family: Telemetry.Family, _ dimensions: [(String, String)]) -> [(String, String)] {
        dimensions.map { (family.labels[$0.0] ?? Self.sanitized($0.0), $0.1) }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        guard let family = Telemetry.families[label] else { return fallback.makeCounter(label: label, dimensions: dimensions) }
        return registry.makeCounter(descriptor: descriptor(family), labels: labels(family, dimensions))
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        guard let family = Telemetry.families[label] else { return fallback.makeFloatingPointCounter(label: label, dimensions: dimensions) }
        return registry.makeCounter(descriptor: descriptor(family), labels: labels(family, dimensions))
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        guard let family = Telemetry.families[label] else { return fallback.makeMeter(label: label, dimensions: dimensions) }
        return registry.makeGauge(descriptor: descriptor(family), labels: labels(family, dimensions))
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard let family = Telemetry.families[label] else {
            return fallback.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
        }
        return aggregate
            ? registry.makeValueHistogram(descriptor: descriptor(family), labels: labels(family, dimensions), buckets: family.buckets)
            : registry.makeGauge(descriptor: descriptor(family), labels: labels(family, dimensions))
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        guard let family = Telemetry.families[label] else { return fallback.makeTimer(label: label, dimensions: dimensions) }
        let buckets = family.buckets.map { Duration.nanoseconds(Int64(($0 * 1e9).rounded())) }
        return registry.makeDurationHistogram(descriptor: descriptor(family), labels: labels(family, dimensions), buckets: buckets)
    }

    func destroyCounter(_ handler: any CounterHandler) { fallback.destroyCounter(handler) }
    func destroyMeter(_ handler: any MeterHandler) { fallback.destroyMeter(handler) }
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { fallback.destroyFloatingPointCounter(handler) }
    func destroyRecorder(_ handler: any RecorderHandler) { fallback.destroyRecorder(handler) }
    func destroyTimer(_ handler: any TimerHandler) { fallback.destroyTimer(handler) }
}
