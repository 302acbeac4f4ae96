import Executor
import Foundation
import Logging
import NightshiftTesting
import Scheduler
import Store
import Synchronization
import Testing
import Workflow

/// The scheduler loop end to end with the inline executor (Swift bodies in this process), against both store kinds.
@Suite struct SchedulerServiceTests {
    static let attempts = Mutex<[String: Int]>([:])

    static let dag = DAG("service_test", retry: .fixed(retries: 2, delay: .milliseconds(10))) {
        let produce = TaskDefinition("produce") { ctx in try await ctx.push(21, key: "half") }
        let flaky = TaskDefinition("flaky") { ctx in
            let attempt = SchedulerServiceTests.attempts.withLock { counts in
                counts[ctx.runID, default: 0] += 1
                return counts[ctx.runID]!
            }
            if attempt < 2 { throw TestFailure(message: "transient failure on try \(ctx.tryNumber)") }
            let half = try await ctx.pull(Int.self, from: "produce", key: "half") ?? 0
            try await ctx.push(half * 2, key: "answer")
            try await ctx.record("answer", step: 1, value: Double(half * 2))
        }
        let never = TaskDefinition("never", triggerRule: .allFailed) { _ in }
        produce >> flaky
        flaky >> never
    }

    struct TestFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    func runToIdle(store: StateStore, home: NightshiftHome, bag: DAGBag) async throws {
        var configuration = SchedulerConfiguration()
        configuration.exitWhenIdle = true
        configuration.pollInterval = .milliseconds(20)
        let scheduler = SchedulerService(
            bag: bag, store: store, executor: InlineExecutor(bag: bag, store: store, home: home), home: home, configuration: configuration,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await scheduler.run()
    }

    @Test(arguments: StoreKind.allCases)
    func runsDependenciesXComRetriesAndTriggerRules(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, home in
            let bag = try DAGBag([Self.dag])
            let now = Date()
            let runID = "manual__\(kind)_\(UUID().uuidString)"
            try await store.createRun(
                of: Self.dag, runID: runID, logicalDate: now, interval: DateInterval(start: now, end: now), type: .manual, conf: [:], actor: "test",
                now: now)
            try await runToIdle(store: store, home: home.home, bag: bag)
            let run = try #require(try await store.run(runID))
            #expect(run.state == .success)
            let states = Dictionary(uniqueKeysWithValues: try await store.taskInstances(runID: runID).map { ($0.taskID, $0.state) })
            #expect(states == ["produce": .success, "flaky": .success, "never": .skipped])
            let flakyTries = try await store.tries(runID: runID, taskID: "flaky")
            #expect(flakyTries.map(\.state) == [.failed, .success])
            #expect(flakyTries.first?.error == "transient failure on try 1")
            #expect(try await store.pullXCom(runID: runID, taskID: "flaky", key: "answer") == "42")
            #expect(try await store.metrics(runID: runID).map(\.value) == [42])
            let log = try String(contentsOfFile: try #require(flakyTries.first?.logPath), encoding: .utf8)
            #expect(log.contains("task failed: transient failure on try 1"))
        }
    }

    @Test func pausedDAGRunsNothingUntilUnpaused() async throws {
        try await withTestStore(.walFile) { store, home in
            let dag = DAG("paused_test") { TaskDefinition("only") { _ in } }
            let bag = try DAGBag([dag])
            let now = Date()
            try await store.register(bag, now: now)
            try await store.setPaused(dag.id, true, structure: DAGStructure(dag), actor: "test", now: now)
            try await store.createRun(
                of: dag, runID: "manual__paused", logicalDate: now, interval: DateInterval(start: now, end: now), type: .manual, conf: [:],
                actor: "test", now: now)
            let queued = try await store.schedule(now: now) { SchedulingPass.plan($0, bag: bag, limits: .init(), now: now) }
            #expect(queued.isEmpty)
            #expect(try await store.run("manual__paused")?.state == .queued)
            try await store.setPaused(dag.id, false, structure: DAGStructure(dag), actor: "test", now: now)
            try await runToIdle(store: store, home: home.home, bag: bag)
            #expect(try await store.run("manual__paused")?.state == .success)
        }
    }
}
