public import Foundation
import GRDB
import Workflow

extension StateStore {
    /// A process group a timed-out run left running, for the scheduler to end.
    public struct TimedOutTry: Sendable, Equatable {
        public var taskID: String
        public var tryNumber: Int
        /// The try's process group (its pid when the group was not recorded); nil when the try's process never started.
        public var processGroup: Int32?

        public init(taskID: String, tryNumber: Int, processGroup: Int32?) {
            self.taskID = taskID
            self.tryNumber = tryNumber
            self.processGroup = processGroup
        }
    }

    /// Ends a run that outlived its timeout, in one transaction: the run is failed with `note`; its running tries are
    /// failed with `note` (their process groups are returned for the caller to end, and their late outcomes change
    /// nothing); every task instance that has not finished is skipped with `note`. An `run_timed_out` event records it.
    /// - Returns: the tries that were running, or nil when the run is unknown or already finished.
    public func timeOutRun(runID: String, note: String, now: Date) async throws -> [TimedOutTry]? {
        try await writer.write { db in
            guard let run = try DAGRunRecord.fetchOne(db, sql: "SELECT * FROM dag_runs WHERE run_id = ?", arguments: [runID]),
                !run.state.isFinished
            else { return nil }
            let at = now.timeIntervalSince1970
            let running = try Row.fetchAll(
                db, sql: "SELECT task_id, try_number, pid, pgid FROM task_instances WHERE run_id = ? AND state = 'running'", arguments: [runID]
            ).map { row in
                TimedOutTry(taskID: row["task_id"], tryNumber: row["try_number"], processGroup: (row["pgid"] as Int32?) ?? row["pid"])
            }
            try db.execute(
                sql: """
                    UPDATE task_tries SET state = 'failed', end_date = ?, duration_s = ? - start_date, error = ?
                    WHERE run_id = ? AND state = 'running'
                    """, arguments: [at, at, note, runID])
            try db.execute(
                sql: """
                    UPDATE task_instances SET state = 'failed', end_date = ?, note = ?, pid = NULL, pgid = NULL, proc_start = NULL
                    WHERE run_id = ? AND state = 'running'
                    """, arguments: [at, note, runID])
            try db.execute(
                sql: """
                    UPDATE task_instances SET state = 'skipped', end_date = ?, note = ?
                    WHERE run_id = ? AND state IN ('scheduled', 'queued', 'up_for_retry', 'up_for_reschedule')
                    """, arguments: [at, note, runID])
            try db.execute(
                sql: "UPDATE dag_runs SET state = 'failed', end_date = ?, start_date = coalesce(start_date, ?), note = ? WHERE run_id = ?",
                arguments: [at, at, note, runID])
            var event = EventRecord(at: now, dagID: run.dagID, runID: runID, taskID: nil, kind: "run_timed_out", actor: "scheduler", detail: note)
            try event.insert(db)
            return running
        }
    }
}
