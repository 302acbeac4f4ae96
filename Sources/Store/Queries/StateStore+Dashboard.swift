public import Foundation
import GRDB
public import Workflow

/// A histogram of observed values with cumulative bucket counts, as Prometheus expects.
public struct Histogram: Sendable, Equatable {
    /// Upper bounds of the finite buckets, ascending.
    public var bounds: [Double]
    /// Cumulative counts: `cumulative[i]` values were ≤ `bounds[i]`.
    public var cumulative: [Int]
    public var sum: Double
    public var count: Int

    /// Buckets `values` by `bounds`.
    public init(bounds: [Double], values: some Sequence<Double>) {
        self.bounds = bounds
        var counts = [Int](repeating: 0, count: bounds.count)
        var sum = 0.0
        var count = 0
        for value in values {
            sum += value
            count += 1
            if let index = bounds.firstIndex(where: { value <= $0 }) { counts[index] += 1 }
        }
        var running = 0
        cumulative = counts.map { running += $0; return running }
        self.sum = sum
        self.count = count
    }
}

/// Reads (and the few writes) the dashboard needs beyond the scheduler's and the CLI's: recent runs per DAG, counts,
/// task instances of a page of runs, aggregates for `/metrics`, marking task instances.
extension StateStore {
    /// The latest `perDAG` runs of each DAG in `dagIDs`, newest first (one indexed query per DAG).
    public func recentRuns(dagIDs: [String], perDAG: Int) async throws -> [String: [DAGRunRecord]] {
        try await writer.read { db in
            var result: [String: [DAGRunRecord]] = [:]
            let statement = try db.cachedStatement(
                sql: "SELECT * FROM dag_runs WHERE dag_id = ? ORDER BY logical_date DESC, id DESC LIMIT ?")
            for dagID in dagIDs {
                result[dagID] = try Row.fetchAll(statement, arguments: [dagID, perDAG]).map(DAGRunRecord.init(row:))
            }
            return result
        }
    }

    /// Runs newest first, decoded from rows (faster than Codable), optionally filtered by DAG and state.
    public func runPage(dagID: String?, state: RunState?, limit: Int, offset: Int) async throws -> [DAGRunRecord] {
        try await writer.read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let dagID { clauses.append("dag_id = ?"); arguments += [dagID] }
            if let state { clauses.append("state = ?"); arguments += [state.rawValue] }
            arguments += [limit, offset]
            let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            return try Row.fetchAll(
                db, sql: "SELECT * FROM dag_runs \(filter) ORDER BY logical_date DESC, id DESC LIMIT ? OFFSET ?", arguments: arguments
            ).map(DAGRunRecord.init(row:))
        }
    }

    /// How many runs match the filter.
    public func runCount(dagID: String?, state: RunState?) async throws -> Int {
        try await writer.read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let dagID { clauses.append("dag_id = ?"); arguments += [dagID] }
            if let state { clauses.append("state = ?"); arguments += [state.rawValue] }
            let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM dag_runs \(filter)", arguments: arguments) ?? 0
        }
    }

    /// The latest scheduled logical date of every DAG that has one.
    public func lastScheduledLogicalDates() async throws -> [String: Date] {
        try await writer.read { db in
            var result: [String: Date] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT dag_id, max(logical_date) AS last FROM dag_runs WHERE run_type = 'scheduled' GROUP BY dag_id")
            {
                result[row["dag_id"]] = Date(timeIntervalSince1970: row["last"])
            }
            return result
        }
    }

    /// The task instances of several runs (a page of the grid), in definition order per run.
    public func taskInstances(runIDs: [String]) async throws -> [TaskInstanceRecord] {
        guard !runIDs.isEmpty else { return [] }
        return try await writer.read { db in
            let marks = databaseQuestionMarks(count: runIDs.count)
            return try Row.fetchAll(
                db, sql: "SELECT * FROM task_instances WHERE run_id IN (\(marks)) ORDER BY id", arguments: StatementArguments(runIDs)
            ).map(TaskInstanceRecord.init(row:))
        }
    }

    /// Run counts by DAG and state.
    public func runCountsByState() async throws -> [(dagID: String, state: String, count: Int)] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT dag_id, state, count(*) AS n FROM dag_runs GROUP BY dag_id, state ORDER BY dag_id, state")
                .map { (dagID: $0["dag_id"], state: $0["state"], count: $0["n"]) }
        }
    }

    /// Run counts of one DAG by state.
    public func runCountsByState(dagID: String) async throws -> [String: Int] {
        try await writer.read { db in
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM dag_runs WHERE dag_id = ? GROUP BY state", arguments: [dagID]) {
                result[row["state"]] = row["n"]
            }
            return result
        }
    }

    /// Try counts by state.
    public func tryCountsByState() async throws -> [(state: String, count: Int)] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM task_tries GROUP BY state ORDER BY state")
                .map { (state: $0["state"], count: $0["n"]) }
        }
    }

    /// Task instance counts by state (queue depth is `scheduled` + `queued`).
    public func instanceCountsByState() async throws -> [String: Int] {
        try await writer.read { db in
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM task_instances GROUP BY state") {
                result[row["state"]] = row["n"]
            }
            return result
        }
    }

    /// The durations of finished tries, bucketed by `bounds` (seconds).
    public func tryDurationHistogram(bounds: [Double]) async throws -> Histogram {
        try await writer.read { db in
            let cursor = try Double.fetchCursor(db, sql: "SELECT duration_s FROM task_tries WHERE state != 'running' AND duration_s IS NOT NULL")
            var values: [Double] = []
            while let value = try cursor.next() { values.append(value) }
            return Histogram(bounds: bounds, values: values)
        }
    }

    /// Seconds from the moment a task's last upstream succeeded to the start of its first try, over the task
    /// instances of the latest `runs` runs: the scheduler's hand-off latency.
    /// - Parameter upstream: each DAG's upstream ids per task.
    public func handoffLatencies(latestRuns runs: Int, upstream: [String: [String: [String]]], bounds: [Double]) async throws -> Histogram {
        let rows = try await writer.read { db in
            try Row.fetchAll(
                db, sql: """
                    SELECT dag_id, run_id, task_id, state, start_date, end_date, try_number FROM task_instances
                    WHERE run_pk IN (SELECT id FROM dag_runs ORDER BY id DESC LIMIT ?)
                    """, arguments: [runs])
        }
        struct Instance { var state: String; var start: Double?; var end: Double?; var tryNumber: Int }
        var byRun: [String: [String: Instance]] = [:]
        var dagOfRun: [String: String] = [:]
        for row in rows {
            let runID: String = row["run_id"]
            dagOfRun[runID] = row["dag_id"]
            byRun[runID, default: [:]][row["task_id"]] = Instance(
                state: row["state"], start: row["start_date"], end: row["end_date"], tryNumber: row["try_number"])
        }
        var values: [Double] = []
        for (runID, instances) in byRun {
            guard let dagID = dagOfRun[runID], let edges = upstream[dagID] else { continue }
            for (taskID, instance) in instances where instance.tryNumber == 1 {
                guard let start = instance.start, let ups = edges[taskID], !ups.isEmpty else { continue }
                let ends = ups.compactMap { id -> Double? in
                    guard let up = instances[id], up.state == TaskState.success.rawValue else { return nil }
                    return up.end
                }
                guard ends.count == ups.count, let ready = ends.max() else { continue }
                values.append(max(0, start - ready))
            }
        }
        return Histogram(bounds: bounds, values: values)
    }

    /// True when the database answers a trivial query.
    public func isReachable() async -> Bool {
        (try? await writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    /// Marks task instances of a run `success` or `failed` by hand (Airflow's "mark success/failed"), then puts the run
    /// back to `running` so the scheduler settles its state and what follows.
    /// - Throws: ``StoreError`` for an unknown run or task, or when one of them is queued or running.
    /// - Returns: the ids marked.
    @discardableResult
    public func mark(runID: String, taskIDs: [String], state: TaskState, actor: String, now: Date) async throws -> [String] {
        precondition(state == .success || state == .failed, "only success and failed can be set by hand")
        return try await writer.write { db in
            guard try DAGRunRecord.filter(Column("run_id") == runID).fetchOne(db) != nil else { throw StoreError(.unknownRun(runID)) }
            let instances = try TaskInstanceRecord.filter(Column("run_id") == runID).fetchAll(db)
            for task in taskIDs {
                guard let instance = instances.first(where: { $0.taskID == task }) else { throw StoreError(.unknownTask(run: runID, task: task)) }
                if instance.state == .running || instance.state == .queued { throw StoreError(.taskRunning(run: runID, task: task)) }
            }
            for task in taskIDs {
                try db.execute(
                    sql: """
                        UPDATE task_instances SET state = ?, end_date = coalesce(end_date, ?), next_try_at = NULL, note = ?
                        WHERE run_id = ? AND task_id = ?
                        """,
                    arguments: [state.rawValue, now.timeIntervalSince1970, "marked \(state.rawValue) by \(actor)", runID, task])
            }
            try db.execute(sql: "UPDATE dag_runs SET state = 'running', end_date = NULL WHERE run_id = ?", arguments: [runID])
            var event = EventRecord(
                at: now, dagID: instances.first?.dagID, runID: runID, taskID: nil, kind: "mark_\(state.rawValue)", actor: actor,
                detail: taskIDs.joined(separator: ","))
            try event.insert(db)
            return taskIDs
        }
    }
}
