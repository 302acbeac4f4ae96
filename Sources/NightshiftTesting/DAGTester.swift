public import Foundation
import Executor
import Logging
import Scheduler
public import Store
public import Workflow

/// Runs your DAGs inline in tests: a whole run, or one task, on a temporary home with a real store, through the real
/// scheduling pass (trigger rules, retries, pools, timeouts), without a scheduler process and without sleeps. Swift tasks
/// run in the test process; shell tasks run as child processes, as they do under the scheduler.
///
/// ```swift
/// import NightshiftTesting
/// import Testing
///
/// @Test func nightlyReportSucceeds() async throws {
///     let run = try await DAGTester.run(Nightly.dag, conf: ["region": "us"])
///     #expect(run.state == .success)
///     #expect(run.states["publish"] == .success)
///     #expect(try run.xcom(Int.self, task: "summarise", key: "rows") == 42)
///     #expect(try run.log(of: "publish").contains("publishing 42 rows"))
/// }
/// ```
public enum DAGTester {
    /// Runs `dag` once to its end and returns what happened. The temporary home is kept until the result is released
    /// (logs, XCom and metrics stay readable), then removed.
    /// - Parameters:
    ///   - dag: the DAG; it is validated first (a cycle or bad cron throws ``WorkflowError``).
    ///   - conf: the run's conf, merged over the DAG's params (as `dags trigger --conf`).
    ///   - pools: named pools with slot counts.
    ///   - logicalDate: the run's logical date (default now).
    ///   - only: run just these tasks; every other task of the run is marked success beforehand (as if already done).
    public static func run(
        _ dag: DAG, conf: [String: JSONValue] = [:], pools: [String: Int] = [:], logicalDate: Date = Date(), only: Set<String>? = nil
    ) async throws -> DAGTestRun {
        let bag = try DAGBag([dag], pools: pools)
        let home = try TemporaryHome("dagtest")
        do {
            let store = try home.home.openStore()
            let runID = "test__" + Template.timestamp(logicalDate)
            try await store.register(bag, now: logicalDate)
            try await store.createRun(
                of: dag, runID: runID, logicalDate: logicalDate, interval: DateInterval(start: logicalDate, end: logicalDate), type: .manual,
                conf: conf, actor: "test", now: Date())
            if let only {
                let others = dag.tasks.map(\.id).filter { !only.contains($0) }
                if !others.isEmpty { _ = try await store.mark(runID: runID, taskIDs: others, state: .success, actor: "test", now: Date()) }
            }
            var configuration = SchedulerConfiguration()
            configuration.exitWhenIdle = true
            configuration.pollInterval = .milliseconds(20)
            let scheduler = SchedulerService(
                bag: bag, store: store, executor: InlineExecutor(bag: bag, store: store, home: home.home), home: home.home,
                configuration: configuration, logger: Logger(label: "nightshift.test", factory: { _ in SwiftLogNoOpLogHandler() }))
            try await scheduler.run()
            guard let run = try await store.run(runID) else { throw DAGTestError("run \(runID) disappeared") }
            let instances = try await store.taskInstances(runID: runID)
            return DAGTestRun(
                run: run, instances: instances, store: store, storage: TemporaryStorage(home))
        } catch {
            home.remove()
            throw error
        }
    }

    /// Runs one task of `dag` on its own (its upstream tasks count as done) and returns the run.
    /// - Throws: ``DAGTestError`` naming the known task ids when `taskID` is not in the DAG.
    public static func runTask(
        _ taskID: String, of dag: DAG, conf: [String: JSONValue] = [:], pools: [String: Int] = [:], logicalDate: Date = Date()
    ) async throws -> DAGTestRun {
        guard dag.task(taskID) != nil else {
            throw DAGTestError("DAG '\(dag.id)' has no task '\(taskID)'; tasks: \(dag.tasks.map(\.id).joined(separator: ", "))")
        }
        return try await run(dag, conf: conf, pools: pools, logicalDate: logicalDate, only: [taskID])
    }
}

/// What a test run did: the run's state, each task's state, and its XCom values, metrics and logs.
public struct DAGTestRun: Sendable {
    /// The run's row.
    public let run: DAGRunRecord
    /// Every task instance, in definition order.
    public let instances: [TaskInstanceRecord]
    let store: StateStore
    let storage: TemporaryStorage

    /// The run's final state.
    public var state: RunState { run.state }

    /// Each task's final state by task id.
    public var states: [String: TaskState] { Dictionary(uniqueKeysWithValues: instances.map { ($0.taskID, $0.state) }) }

    /// The temporary home the run used (removed when the last copy of this value is released).
    public var home: NightshiftHome { storage.home.home }

    /// The value `task` pushed under `key`, decoded, or nil if it pushed none.
    public func xcom<T: Decodable>(_ type: T.Type, task: String, key: String = "return_value") async throws -> T? {
        guard let json = try await store.pullXCom(runID: run.runID, taskID: task, key: key) else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    /// The values `task` recorded for the metric `name`, by step.
    public func metric(_ name: String, task: String) async throws -> [Int: Double] {
        let records = try await store.metrics(runID: run.runID).filter { $0.taskID == task && $0.name == name }
        return Dictionary(records.map { ($0.step, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// The log of `task`'s try (the last one unless `tryNumber` is given).
    /// - Throws: ``DAGTestError`` when the task never ran.
    public func log(of task: String, tryNumber: Int? = nil) throws -> String {
        guard let instance = instances.first(where: { $0.taskID == task }) else {
            throw DAGTestError("no task '\(task)' in run \(run.runID); tasks: \(instances.map(\.taskID).joined(separator: ", "))")
        }
        let number = tryNumber ?? instance.tryNumber
        guard number >= 1 else { throw DAGTestError("task '\(task)' never ran (state \(instance.state.rawValue))") }
        let path = home.logPath(dagID: run.dagID, runID: run.runID, taskID: task, tryNumber: number)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw DAGTestError("no log at \(path)") }
        return text
    }
}

/// A test run that could not be made or read; the message says why.
public struct DAGTestError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Removes a temporary home once nothing refers to it.
final class TemporaryStorage: Sendable {
    let home: TemporaryHome
    init(_ home: TemporaryHome) { self.home = home }
    deinit { home.remove() }
}
