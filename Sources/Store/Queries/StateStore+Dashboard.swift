public import Foundation
import GRDB
public import Workflow

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
            try db.execute(sql: "UPDATE dag_runs SET state = 'running', end_date = NULL, note = NULL WHERE run_id = ?", arguments: [runID])
            var event = EventRecord(
                at: now, dagID: instances.first?.dagID, runID: runID, taskID: nil, kind: "mark_\(state.rawValue)", actor: actor,
                detail: taskIDs.joined(separator: ","))
            try event.insert(db)
            return taskIDs
        }
    }
}
