import Foundation
import GRDB
public import Workflow

extension StateStore {
    /// For benchmarks (`nightshift bench dashboard`): inserts runs `from..<to` of `dag` hourly back in time, each with a
    /// task instance and one try per task (about 5 % of runs fail part-way), in one transaction.
    public func seedHistory(of dag: DAG, from: Int, to: Int) async throws {
        let order = dag.topologicalOrder
        let base = 1_790_000_000.0
        try await writer.write { db in
            let runStatement = try db.makeStatement(sql: """
                INSERT INTO dag_runs (dag_id, run_id, logical_date, interval_start, interval_end, state, run_type, conf, queued_at,
                    start_date, end_date)
                VALUES (?, ?, ?, ?, ?, ?, 'scheduled', '{}', ?, ?, ?)
                """)
            let instanceStatement = try db.makeStatement(sql: """
                INSERT INTO task_instances (run_pk, dag_id, run_id, task_id, state, try_number, max_tries, pool, priority_weight,
                    start_date, end_date)
                VALUES (?, ?, ?, ?, ?, 1, 1, 'default', 1, ?, ?)
                """)
            let tryStatement = try db.makeStatement(sql: """
                INSERT INTO task_tries (dag_id, run_id, task_id, try_number, state, host, start_date, end_date, duration_s, exit_status, log_path)
                VALUES (?, ?, ?, 1, ?, 'bench', ?, ?, ?, ?, '')
                """)
            var random = SystemRandomNumberGenerator()
            for index in from..<to {
                let logical = base - Double(index) * 3600
                let runID = "scheduled__" + Template.timestamp(Date(timeIntervalSince1970: logical))
                let failedAt = Int.random(in: 0..<20, using: &random) == 0 ? Int.random(in: 0..<8, using: &random) : nil
                var clock = logical + 1
                var instances: [(String, String, Double?, Double?)] = []
                for (position, task) in order.enumerated() {
                    let state: String
                    if let failedAt, position > failedAt {
                        state = "upstream_failed"
                    } else {
                        state = position == failedAt ? "failed" : "success"
                    }
                    if state == "upstream_failed" {
                        instances.append((task, state, nil, nil))
                        continue
                    }
                    let duration = Double.random(in: 0.5...20, using: &random)
                    instances.append((task, state, clock, clock + duration))
                    clock += duration + 0.02
                }
                try runStatement.execute(arguments: [
                    dag.id, runID, logical, logical - 3600, logical, failedAt == nil ? "success" : "failed", logical, logical + 0.5, clock,
                ])
                let runPK = db.lastInsertedRowID
                for (task, state, start, end) in instances {
                    try instanceStatement.execute(arguments: [runPK, dag.id, runID, task, state, start, end])
                    if let start, let end {
                        try tryStatement.execute(arguments: [dag.id, runID, task, state, start, end, end - start, state == "success" ? 0 : 1])
                    }
                }
            }
        }
    }
}
