import Foundation
import Store
import Workflow

/// `/metrics` in the Prometheus text exposition format (version 0.0.4): a `# HELP` and `# TYPE` line per family,
/// label values escaped, histograms with cumulative `_bucket{le=…}` series ending in `+Inf`, then `_sum` and `_count`.
struct MetricsExporter {
    let store: StateStore
    let dags: [DAGInfo]

    static let durationBounds: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600]
    static let handoffBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    func render() async throws -> String {
        var out = ""
        let reachable = await store.isReachable()
        family(&out, "nightshift_store_up", "1 when the state store answered this scrape.", "gauge")
        out += "nightshift_store_up \(reachable ? 1 : 0)\n"
        guard reachable else { return out }

        family(&out, "nightshift_dag_runs", "DAG runs in the store by DAG and state.", "gauge")
        for row in try await store.runCountsByState() {
            out += "nightshift_dag_runs{dag_id=\"\(Self.label(row.dagID))\",state=\"\(Self.label(row.state))\"} \(row.count)\n"
        }
        family(&out, "nightshift_task_tries", "Task tries in the store by state.", "gauge")
        for row in try await store.tryCountsByState() {
            out += "nightshift_task_tries{state=\"\(Self.label(row.state))\"} \(row.count)\n"
        }
        let durations = try await store.tryDurationHistogram(bounds: Self.durationBounds)
        histogram(&out, "nightshift_task_try_duration_seconds", "Wall-clock duration of finished task tries.", durations)

        let instances = try await store.instanceCountsByState()
        family(
            &out, "nightshift_queue_depth",
            "Task instances waiting to run: scheduled (waiting for upstream or a slot), queued (handed to the executor), up for retry.",
            "gauge")
        for state in ["scheduled", "queued", "up_for_retry"] {
            out += "nightshift_queue_depth{state=\"\(state)\"} \(instances[state] ?? 0)\n"
        }
        family(&out, "nightshift_task_instances_running", "Task instances running now.", "gauge")
        out += "nightshift_task_instances_running \(instances["running"] ?? 0)\n"

        family(
            &out, "nightshift_scheduler_heartbeat_age_seconds",
            "Seconds since the scheduler loop last beat (loop lag; absent when no scheduler ever ran).", "gauge")
        if let beat = try await store.lastHeartbeat() {
            out += "nightshift_scheduler_heartbeat_age_seconds \(Self.number(max(0, Date().timeIntervalSince(beat.at))))\n"
        }
        let upstream = Dictionary(uniqueKeysWithValues: dags.map { ($0.dag.id, $0.upstream) })
        let handoff = try await store.handoffLatencies(latestRuns: 500, upstream: upstream, bounds: Self.handoffBounds)
        histogram(
            &out, "nightshift_task_handoff_seconds",
            "Seconds from the last upstream task's success to the downstream task's first try start (latest 500 runs).", handoff)
        return out
    }

    private func family(_ out: inout String, _ name: String, _ help: String, _ type: String) {
        out += "# HELP \(name) \(Self.help(help))\n# TYPE \(name) \(type)\n"
    }

    private func histogram(_ out: inout String, _ name: String, _ help: String, _ histogram: Histogram) {
        family(&out, name, help, "histogram")
        for (bound, count) in zip(histogram.bounds, histogram.cumulative) {
            out += "\(name)_bucket{le=\"\(Self.number(bound))\"} \(count)\n"
        }
        out += "\(name)_bucket{le=\"+Inf\"} \(histogram.count)\n"
        out += "\(name)_sum \(Self.number(histogram.sum))\n"
        out += "\(name)_count \(histogram.count)\n"
    }

    /// A label value with `\`, `"` and newlines escaped.
    static func label(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// HELP text with `\` and newlines escaped.
    static func help(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A Go-style float: integers without a fraction, others in shortest form.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
