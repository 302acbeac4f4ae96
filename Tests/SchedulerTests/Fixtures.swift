import Foundation

@testable import Store
import Workflow

/// Fixed instants and small builders for the scheduler's pure functions: no clock, no store.
enum Fixtures {
    /// 2026-05-14T12:00:00Z, a Thursday.
    static let t0 = Date(timeIntervalSince1970: 1_778_760_000)

    /// Parses an ISO 8601 instant such as `2026-05-14T13:15:00Z`.
    static func at(_ text: String) throws -> Date {
        try Date(text, strategy: .iso8601)
    }

    /// A Swift task that does nothing; the scheduler only reads its id, edges and policies.
    static func task(
        _ id: String, after upstream: [String] = [], rule: TriggerRule = .allSuccess, pool: String? = nil, priority: Int = 1,
        retry: RetryPolicy? = nil
    ) -> TaskDefinition {
        TaskDefinition(id, after: upstream, triggerRule: rule, retry: retry, pool: pool, priorityWeight: priority) { _ in }
    }
}

/// A run added to a ``SnapshotBuilder``: its primary key and the ids of its task instances.
struct SeededRun: Sendable {
    let record: DAGRunRecord
    let instanceIDs: [String: Int64]

    var pk: Int64 { record.id ?? -1 }

    /// The instance id of `task` in this run (-1, which matches nothing, when the run has no such instance).
    subscript(_ task: String) -> Int64 { instanceIDs[task] ?? -1 }
}

/// Builds a ``SchedulingSnapshot`` by hand: runs with one instance per task, in the states a test names.
struct SnapshotBuilder {
    private(set) var runs: [DAGRunRecord] = []
    private(set) var instances: [TaskInstanceRecord] = []
    var paused: Set<String> = []
    private var nextRunPK: Int64 = 1
    private var nextInstanceID: Int64 = 101

    /// Adds a run of `dag` with one instance per task (state `scheduled` unless `states` says otherwise).
    /// - Parameters:
    ///   - state: the run's state.
    ///   - logicalDate: the run's logical date (its interval is the hour before it).
    ///   - states: instance states by task id.
    ///   - nextTryAt: retry times by task id (for `up_for_retry` instances).
    @discardableResult
    mutating func run(
        of dag: DAG, state: RunState = .running, logicalDate: Date = Fixtures.t0, states: [String: TaskState] = [:],
        nextTryAt: [String: Date] = [:]
    ) -> SeededRun {
        let pk = nextRunPK
        nextRunPK += 1
        let runID = "scheduled__" + Template.timestamp(logicalDate)
        let record = DAGRunRecord(
            id: pk, dagID: dag.id, runID: runID, logicalDate: logicalDate, intervalStart: logicalDate.addingTimeInterval(-3600),
            intervalEnd: logicalDate, state: state, runType: .scheduled, conf: "{}", queuedAt: logicalDate)
        runs.append(record)
        var ids: [String: Int64] = [:]
        for task in dag.tasks {
            let taskState = states[task.id] ?? .scheduled
            ids[task.id] = add(
                runPK: pk, dagID: dag.id, runID: runID, taskID: task.id, state: taskState, maxTries: dag.retryPolicy(for: task).maxTries,
                nextTryAt: nextTryAt[task.id], pool: task.pool ?? "default", priorityWeight: task.priorityWeight)
        }
        return SeededRun(record: record, instanceIDs: ids)
    }

    /// Adds an instance of a task the DAG no longer defines to `run`; returns its id.
    @discardableResult
    mutating func orphan(_ taskID: String, in run: SeededRun, state: TaskState = .scheduled) -> Int64 {
        add(
            runPK: run.pk, dagID: run.record.dagID, runID: run.record.runID, taskID: taskID, state: state, maxTries: 1, nextTryAt: nil,
            pool: "default", priorityWeight: 1)
    }

    private mutating func add(
        runPK: Int64, dagID: String, runID: String, taskID: String, state: TaskState, maxTries: Int, nextTryAt: Date?, pool: String,
        priorityWeight: Int
    ) -> Int64 {
        let id = nextInstanceID
        nextInstanceID += 1
        let tries = state == .scheduled ? 0 : 1
        instances.append(
            TaskInstanceRecord(
                id: id, runPK: runPK, dagID: dagID, runID: runID, taskID: taskID, state: state, tryNumber: tries, maxTries: maxTries,
                nextTryAt: nextTryAt, pool: pool, priorityWeight: priorityWeight))
        return id
    }

    /// The snapshot, with runs oldest logical date first as the store reads them.
    var snapshot: SchedulingSnapshot {
        let ordered = runs.enumerated().sorted { ($0.element.logicalDate, $0.offset) < ($1.element.logicalDate, $1.offset) }.map(\.element)
        return SchedulingSnapshot(activeRuns: ordered, instances: instances, pausedDAGs: paused)
    }
}
