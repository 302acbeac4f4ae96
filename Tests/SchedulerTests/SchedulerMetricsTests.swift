import Executor
import Foundation
import Logging
import NightshiftTesting
import Scheduler
import Store
import Telemetry
import Testing
import Workflow

/// The scheduler records its pass, try and hand-off histograms through swift-metrics; `Telemetry` exports them.
@Suite struct SchedulerMetricsTests {
    static let dag = DAG("metrics_chain") {
        let a = TaskDefinition("a") { _ in try await Task.sleep(for: .milliseconds(30)) }
        let b = TaskDefinition("b") { _ in }
        let c = TaskDefinition("c") { _ in }
        a >> b
        b >> c
    }

    /// The value of the sample `name{labels…}` in `text` (labels as they appear, in order).
    static func value(_ text: String, _ name: String, _ labels: String) -> Double? {
        let prefix = labels.isEmpty ? name + " " : name + "{" + labels
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.split(separator: " ").last!) }
    }

    @Test func aChainRecordsEveryTryEveryHandoffAndThePasses() async throws {
        Telemetry.bootstrap()
        try await withTestStore(.walFile) { store, home in
            let bag = try DAGBag([Self.dag])
            let now = Date()
            try await store.createRun(
                of: Self.dag, runID: "manual__metrics", logicalDate: now, interval: DateInterval(start: now, end: now), type: .manual, conf: [:],
                actor: "test", now: now)
            let before = Self.value(Telemetry.text(), "nightshift_scheduler_pass_duration_seconds_count", "") ?? 0
            var configuration = SchedulerConfiguration()
            configuration.exitWhenIdle = true
            configuration.pollInterval = .milliseconds(20)
            try await SchedulerService(
                bag: bag, store: store, executor: InlineExecutor(bag: bag, store: store, home: home.home), home: home.home,
                configuration: configuration, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            ).run()
            #expect(try await store.run("manual__metrics")?.state == .success)

            let series = "dag_id=\"metrics_chain\""
            // Hand-offs are recorded beside the loop: wait (bounded) for both.
            let recorded = await eventually(timeout: .seconds(10)) {
                Self.value(Telemetry.text(), "nightshift_task_handoff_seconds_count", series) == 2
            }
            let text = Telemetry.text()
            #expect(Self.value(text, "nightshift_task_try_duration_seconds_count", series) == 3, "one duration per try")
            let slow = try #require(Self.value(text, "nightshift_task_try_duration_seconds_sum", series))
            #expect(slow >= 0.03, "the 30 ms try is in the sum (\(slow))")
            #expect(recorded, "a → b and b → c; the root has none")
            #expect(Self.value(text, "nightshift_task_handoff_seconds_count", series) == 2)
            // The hand-offs are the tries' own recorded times: the same figures the store gives.
            let expected = try await store.handoffLatencies(
                of: [("metrics_chain", "manual__metrics", "b"), ("metrics_chain", "manual__metrics", "c")], upstream: ["metrics_chain": ["a": [], "b": ["a"], "c": ["b"]]])
            let sum = try #require(Self.value(text, "nightshift_task_handoff_seconds_sum", series))
            #expect(abs(sum - expected.map(\.seconds).reduce(0, +)) < 1e-6)
            #expect(text.contains("nightshift_task_handoff_seconds_bucket{\(series),le=\"+Inf\"} 2"))
            let passes = try #require(Self.value(text, "nightshift_scheduler_pass_duration_seconds_count", ""))
            #expect(passes - before >= 3, "at least one pass per hand-off")
            #expect(text.contains("# HELP nightshift_scheduler_pass_duration_seconds "))
        }
    }
}
