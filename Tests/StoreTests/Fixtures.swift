import Foundation
import Synchronization
import NightshiftTesting
import Store
import Workflow

/// Small DAGs, fixed dates and seeding helpers shared by the store tests.
enum Fixtures {
    /// A whole-second instant, so dates survive the REAL round trip exactly.
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    /// `t0` plus `seconds`.
    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    /// `extract >> [load, report]`: the DAG retries twice by default, `load` overrides it (no retry), sits in the
    /// `etl` pool and weighs 7.
    static let twoTaskDAG = DAG("two_tasks", retry: .fixed(retries: 2, delay: .seconds(5))) {
        let extract = TaskDefinition.shell("extract", "true")
        let load = TaskDefinition.shell("load", "true", retry: RetryPolicy.none, pool: "etl", priorityWeight: 7)
        let report = TaskDefinition.shell("report", "true", retry: .fixed(retries: 4, delay: .seconds(1)))
        extract >> [load, report]
    }

    /// One task, no retries.
    static let singleTaskDAG = DAG("single") {
        TaskDefinition.shell("only", "true")
    }

    /// The same id as ``singleTaskDAG`` with a changed command: a new fingerprint.
    static let singleTaskDAGChanged = DAG("single") {
        TaskDefinition.shell("only", "echo changed")
    }

    /// A bag with the `etl` pool ``twoTaskDAG`` needs.
    static func bag(_ dags: [DAG]) throws -> DAGBag { try DAGBag(dags, pools: ["etl": 2]) }

    /// Log paths like the real home's, without touching the file system.
    static let logPath: @Sendable (TaskInstanceRecord, Int) -> String = { instance, number in
        "/logs/\(instance.dagID)/\(instance.runID)/\(instance.taskID)/try-\(number).log"
    }

    /// The data interval ending at `logicalDate`.
    static func interval(endingAt logicalDate: Date) -> DateInterval {
        DateInterval(start: logicalDate.addingTimeInterval(-3600), end: logicalDate)
    }
}

extension StateStore {
    /// Creates a run of `dag` at `logicalDate` (t0 by default).
    @discardableResult
    func seedRun(
        _ dag: DAG = Fixtures.twoTaskDAG, runID: String = "run-1", logicalDate: Date = Fixtures.t0, type: RunType = .manual,
        conf: [String: JSONValue] = [:], now: Date = Fixtures.t0
    ) async throws -> DAGRunRecord {
        try await createRun(
            of: dag, runID: runID, logicalDate: logicalDate, interval: Fixtures.interval(endingAt: logicalDate), type: type, conf: conf,
            actor: "tests", now: now)
    }

    /// The instance of `taskID` in `runID` (fails the test if missing).
    func instance(_ runID: String, _ taskID: String) async throws -> TaskInstanceRecord {
        let found = try await taskInstances(runID: runID).first { $0.taskID == taskID }
        guard let found else { throw FixtureError.missing("instance \(runID)/\(taskID)") }
        return found
    }

    /// Runs a scheduling pass that queues exactly the given tasks of `runID`; returns what the store queued.
    @discardableResult
    func queue(_ runID: String, _ taskIDs: [String], now: Date = Fixtures.t0) async throws -> [TaskInstanceRecord] {
        try await schedule(now: now) { snapshot in
            PassPlan(
                instanceChanges: snapshot.instances.filter { $0.runID == runID && taskIDs.contains($0.taskID) }
                    .map { PassPlan.InstanceChange(instanceID: $0.id!, state: .queued) })
        }
    }

    /// Queues `taskID` of `runID` and starts its next try.
    func startRunningTry(_ runID: String, _ taskID: String, now: Date = Fixtures.t0) async throws -> TaskTryRecord {
        try await queue(runID, [taskID], now: now)
        let instance = try await instance(runID, taskID)
        guard let attempt = try await startTry(instanceID: instance.id!, host: "test-host", logPath: Fixtures.logPath, now: now) else {
            throw FixtureError.missing("try of \(runID)/\(taskID)")
        }
        return attempt
    }
}

enum FixtureError: Error, CustomStringConvertible {
    case missing(String)

    var description: String {
        switch self {
        case .missing(let what): return "fixture: missing \(what)"
        }
    }
}

/// A value shared with `@Sendable` closures the store calls (plans, decisions), read back after the call.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
