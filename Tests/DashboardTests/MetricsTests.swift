import CoreMetrics
@testable import Dashboard
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NightshiftTesting
import Store
import Telemetry
import Testing
import Workflow

/// `/metrics` through swift-metrics and swift-prometheus: the store's gauges, this process's histograms.
@Suite struct MetricsTests {
    struct Sample { var name: String; var labels: String; var value: Double }

    /// Parses the exposition format strictly enough to catch what Prometheus would reject: every sample after its
    /// family's TYPE and HELP, valid names, label syntax and numbers.
    static func parse(_ text: String) throws -> (types: [String: String], samples: [Sample]) {
        var typed: [String: String] = [:]
        var helped: Set<String> = []
        var samples: [Sample] = []
        let sample = try Regex(#"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.e+]+|\+Inf|NaN)$"#)
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# HELP ") { helped.insert(String(line.split(separator: " ")[2])); continue }
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(["gauge", "counter", "histogram"].contains(parts[3]))
                #expect(typed[String(parts[2])] == nil, "\(parts[2]) typed twice")
                typed[String(parts[2])] = String(parts[3])
                continue
            }
            let match = try #require(try sample.wholeMatch(in: String(line)), "bad sample line: \(line)")
            let name = String(match.output[1].substring!)
            let family = ["_bucket", "_sum", "_count"].reduce(name) { typed[$0] == nil && $0.hasSuffix($1) ? String($0.dropLast($1.count)) : $0 }
            #expect(typed[family] != nil && helped.contains(family), "\(name) has no TYPE/HELP before it")
            samples.append(Sample(
                name: name, labels: String(match.output[2].substring ?? ""),
                value: Double(line.split(separator: " ").last!.replacingOccurrences(of: "+Inf", with: "inf"))!))
        }
        return (typed, samples)
    }

    /// The buckets of one series of a histogram family are cumulative, end in `+Inf` and agree with `_count`.
    static func checkHistogram(_ family: String, series: [String], in samples: [Sample]) throws -> Double {
        let inSeries = { (sample: Sample) in series.allSatisfy { sample.labels.contains($0) } }
        let buckets = samples.filter { $0.name == family + "_bucket" && inSeries($0) }
        #expect(buckets.count > 2, "\(family){\(series)} has buckets")
        #expect(buckets.last?.labels.contains("le=\"+Inf\"") == true)
        #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.value <= $1.value }, "buckets must be cumulative")
        let count = try #require(samples.first { $0.name == family + "_count" && inSeries($0) }).value
        #expect(buckets.last?.value == count)
        #expect(samples.contains { $0.name == family + "_sum" && inSeries($0) })
        return count
    }

    @Test func metricsAreValidPrometheusTextWithStoreGaugesAndHistograms() async throws {
        Telemetry.bootstrap()
        try await Fixture.with { fixture, client in
            try await fixture.seedRun()
            try await fixture.store.heartbeat(pid: 1, host: "h", startedAt: Date(), now: Date())
            // What the scheduler records for a try (SchedulerService does it through the same swift-metrics label).
            CoreMetrics.Timer(label: "nightshift.task.try.duration", dimensions: [("dag.id", "metrics_test_dag")])
                .recordMilliseconds(1500)
            for _ in 0..<3 { _ = try await client.execute(uri: "/api/v1/dags/xss_dag", method: .get, headers: APITests.bearer) }
            _ = try await client.execute(uri: "/api/v1/dags/nope", method: .get, headers: APITests.bearer)

            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: response.body)
            let (types, samples) = try Self.parse(text)
            #expect(text.contains("nightshift_store_up 1"))
            #expect(text.contains("nightshift_dag_runs{dag_id=\"xss_dag\",state=\"queued\"} 1"))
            #expect(text.contains("nightshift_task_tries{state=\"success\"} 1"))
            #expect(text.contains("nightshift_queue_depth{state=\"scheduled\"} 2"))
            #expect(text.contains("nightshift_scheduler_heartbeat_age_seconds "))

            #expect(types["nightshift_task_try_duration_seconds"] == "histogram")
            #expect(try Self.checkHistogram("nightshift_task_try_duration_seconds", series: ["dag_id=\"metrics_test_dag\""], in: samples) >= 1)
            #expect(text.contains("nightshift_task_try_duration_seconds_bucket{dag_id=\"metrics_test_dag\",le=\"2.5\"}"))

            // Request latency per route pattern (the route, not the path: one series for every DAG id).
            #expect(types["nightshift_http_request_duration_seconds"] == "histogram")
            let route = "route=\"/api/v1/dags/{dag}\""
            #expect(try Self.checkHistogram("nightshift_http_request_duration_seconds", series: [route, "method=\"GET\"", "status=\"200\""], in: samples) >= 3)
            #expect(samples.contains { $0.name == "nightshift_http_requests_total" && $0.labels.contains(route) && $0.labels.contains("status=\"404\"") })
            #expect(types["nightshift_http_requests_total"] == "counter")
        }
    }

    @Test func anUnreachableStoreIsReportedAndNothingStale() async throws {
        try await Fixture.with { fixture, client in
            try await fixture.seedRun()
            _ = try await client.execute(uri: "/metrics", method: .get)
            try fixture.store.writer.close()
            let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(text.contains("nightshift_store_up 0"))
            #expect(!text.contains("nightshift_dag_runs"), "no store gauges from an earlier scrape")
        }
    }
}
