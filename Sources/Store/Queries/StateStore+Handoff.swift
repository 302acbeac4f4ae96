import GRDB
public import Workflow

/// The figure the scheduler's hand-off histogram records (read beside its loop, not by the dashboard).
extension StateStore {
    /// The hand-off latency of each given task instance whose first try started with every upstream task succeeded:
    /// seconds from the latest upstream try's end (as that try recorded it, when its body returned) to the start of
    /// this first try (when the scheduler started it): how long the scheduler took to notice and hand off.
    /// - Parameters:
    ///   - instances: the task instances (DAG id, run id, task id) to measure; only their tries and their upstream
    ///     tasks' tries are read (a wide run's other tries are not).
    ///   - upstream: the upstream task ids of each task, by DAG (`upstream[dagID][taskID]`).
    /// - Returns: (dag id, seconds) per instance that has a hand-off; a root task or one not yet started has none.
    public func handoffLatencies(
        of instances: [(dagID: String, runID: String, taskID: String)], upstream: [String: [String: [String]]]
    ) async throws -> [(dagID: String, seconds: Double)] {
        var wanted: [String: Set<String>] = [:]  // run → the task ids whose tries are read
        for (dagID, runID, taskID) in instances {
            wanted[runID, default: []].insert(taskID)
            wanted[runID]!.formUnion(upstream[dagID]?[taskID] ?? [])
        }
        let rows = try await writer.read { db in
            var rows: [Row] = []
            for (runID, taskIDs) in wanted {
                rows += try Row.fetchAll(
                    db, sql: """
                        SELECT run_id, task_id, try_number, state, start_date, end_date FROM task_tries
                        WHERE run_id = ? AND task_id IN (\(databaseQuestionMarks(count: taskIDs.count)))
                        """, arguments: StatementArguments([runID] + Array(taskIDs)))
            }
            return rows
        }
        var firstStart: [String: [String: Double]] = [:]  // run → task → first try's start
        var successEnd: [String: [String: Double]] = [:]  // run → task → successful try's end
        for row in rows {
            let runID: String = row["run_id"]
            let taskID: String = row["task_id"]
            if row["try_number"] == 1, let start: Double = row["start_date"] { firstStart[runID, default: [:]][taskID] = start }
            if row["state"] == TryState.success.rawValue, let end: Double = row["end_date"] { successEnd[runID, default: [:]][taskID] = end }
        }
        var result: [(dagID: String, seconds: Double)] = []
        for (dagID, runID, taskID) in instances {
            guard let start = firstStart[runID]?[taskID], let ups = upstream[dagID]?[taskID], !ups.isEmpty else { continue }
            let ends = ups.compactMap { successEnd[runID]?[$0] }
            guard ends.count == ups.count, let ready = ends.max() else { continue }
            result.append((dagID, max(0, start - ready)))
        }
        return result
    }
}
