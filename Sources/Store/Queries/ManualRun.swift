public import Foundation
public import Workflow

extension StateStore {
    /// Creates a manual run of `dag` at `logicalDate` (default: now), the way `dags trigger`, the dashboard's trigger
    /// and `standalone`'s first run all do. The caller wakes the scheduler (``SchedulerWake`` or in-process).
    /// - Parameter suffix: tags the run id; random by default, so triggers in the same microsecond stay distinct.
    public func triggerManualRun(
        of dag: DAG, conf: [String: JSONValue], actor: String, logicalDate: Date = Date(),
        suffix: String = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    ) async throws -> DAGRunRecord {
        let request = RunDates.manualRun(of: dag, cron: try? dag.cron(), logicalDate: logicalDate, suffix: suffix)
        return try await createRun(
            of: dag, runID: request.runID, logicalDate: request.logicalDate, interval: request.interval, type: .manual, conf: conf,
            actor: actor, now: Date())
    }
}
