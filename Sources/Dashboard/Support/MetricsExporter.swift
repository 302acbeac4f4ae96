import Foundation
import Prometheus
import Store
import Telemetry

/// `/metrics` in the Prometheus text format, through swift-prometheus: the store's state read at each scrape (runs and
/// tries by state, queue depth, running instances, the scheduler's heartbeat age) as gauges of a registry made for the
/// scrape (no stale series), then what this process recorded through swift-metrics (``Telemetry/registry``: HTTP
/// request latency per route, and with a scheduler in the process its pass, try and hand-off histograms).
struct MetricsExporter {
    let store: StateStore

    func render() async throws -> String {
        let registry = PrometheusCollectorRegistry()
        let reachable = await store.isReachable()
        gauge(registry, "nightshift_store_up", "1 when the state store answered this scrape.").set(to: reachable ? 1 : 0)
        if reachable {
            for row in try await store.runCountsByState() {
                gauge(registry, "nightshift_dag_runs", "DAG runs in the store by DAG and state.", [("dag_id", row.dagID), ("state", row.state)])
                    .set(to: Double(row.count))
            }
            for row in try await store.tryCountsByState() {
                gauge(registry, "nightshift_task_tries", "Task tries in the store by state.", [("state", row.state)]).set(to: Double(row.count))
            }
            let instances = try await store.instanceCountsByState()
            for state in ["scheduled", "queued", "up_for_retry", "up_for_reschedule"] {
                gauge(
                    registry, "nightshift_queue_depth",
                    "Task instances waiting to run: scheduled (waiting for upstream or a slot), queued (handed to the executor), up for retry, up for reschedule (a sensor between pokes).",
                    [("state", state)]
                ).set(to: Double(instances[state] ?? 0))
            }
            gauge(registry, "nightshift_task_instances_running", "Task instances running now.").set(to: Double(instances["running"] ?? 0))
            if let beat = try await store.lastHeartbeat() {
                gauge(
                    registry, "nightshift_scheduler_heartbeat_age_seconds",
                    "Seconds since the scheduler loop last beat (loop lag; absent when no scheduler ever ran)."
                ).set(to: max(0, Date().timeIntervalSince(beat.at)))
            }
        }
        return registry.emitToString() + Telemetry.text()
    }

    private func gauge(_ registry: PrometheusCollectorRegistry, _ name: String, _ help: String, _ labels: [(String, String)] = []) -> Gauge {
        registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }
}
