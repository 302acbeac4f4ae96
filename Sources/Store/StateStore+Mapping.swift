public import Foundation
public import GRDB
public import Workflow

/// A mapped task, for the store: which DAG and task, what it expands over, and at most how many instances.
public struct MappedTaskSpec: Sendable {
    public var dagID: String
    public var taskID: String
    public var mapping: TaskMapping

    public init(dagID: String, taskID: String, mapping: TaskMapping) {
        self.dagID = dagID
        self.taskID = taskID
        self.mapping = mapping
    }

    /// Every mapped task of `bag`.
    public static func all(in bag: DAGBag) -> [MappedTaskSpec] {
        bag.ids.flatMap { id in
            bag[id]!.tasks.compactMap { task in task.mapping.map { MappedTaskSpec(dagID: id, taskID: task.id, mapping: $0) } }
        }
    }
}

extension StateStore {
    /// Expands the mapped tasks of active runs whose list is known: a `scheduled` instance `t` (the task before
    /// expansion) whose source task succeeded becomes `t[0]` … `t[n-1]`, each `scheduled` with the task's budget of tries
    /// (numbered on from tries an earlier expansion's instance of the same index made). An empty list skips `t`; a value
    /// that is not a list, or a list over the limit, fails it, saying why. Runs inside the scheduling transaction, over
    /// the active runs' `instances` it has read.
    /// - Returns: whether any instance changed.
    static func expandMappedTasks(_ db: Database, instances: [TaskInstanceRecord], specs: [MappedTaskSpec], now: Date) throws -> Bool {
        var changed = false
        for spec in specs {
            let templates = instances.filter { $0.state == .scheduled && $0.taskID == spec.taskID && $0.dagID == spec.dagID }
            for template in templates {
                let items: [JSONValue]
                switch spec.mapping.source {
                case .literal(let list):
                    items = list
                case .xcom(let source, let key):
                    guard instances.contains(where: { $0.runPK == template.runPK && $0.taskID == source && $0.state == .success }) else {
                        continue
                    }
                    let json = try String.fetchOne(
                        db, sql: "SELECT value FROM xcom WHERE run_id = ? AND task_id = ? AND key = ?", arguments: [template.runID, source, key])
                    guard let json, case .array(let list)? = try? JSONValue.parse(json) else {
                        let got = json.map { "got \(String($0.prefix(80)))" } ?? "it pushed nothing under that key"
                        try end(db, template, state: .failed, note: "cannot map over \(source).\(key): not a JSON list (\(got))", now: now)
                        changed = true
                        continue
                    }
                    items = list
                }
                changed = true  // from here on the template is ended or expanded
                if items.isEmpty {
                    try end(db, template, state: .skipped, note: "mapped over an empty list (\(spec.mapping.sourceDescription))", now: now)
                    continue
                }
                guard items.count <= spec.mapping.limit else {
                    try end(
                        db, template, state: .failed,
                        note: "\(spec.mapping.sourceDescription) has \(items.count) items, over the mapping limit of \(spec.mapping.limit)", now: now)
                    continue
                }
                let budget = max(1, template.maxTries - template.budgetStart)
                try db.execute(sql: "DELETE FROM task_instances WHERE id = ?", arguments: [template.id])
                for index in items.indices {
                    let id = MappedID.make(spec.taskID, index)
                    let previous = try Int.fetchOne(
                        db, sql: "SELECT max(try_number) FROM task_tries WHERE run_id = ? AND task_id = ?", arguments: [template.runID, id]) ?? 0
                    var instance = TaskInstanceRecord(
                        runPK: template.runPK, dagID: template.dagID, runID: template.runID, taskID: id, state: .scheduled, tryNumber: previous,
                        maxTries: previous + budget, budgetStart: previous, pool: template.pool, priorityWeight: template.priorityWeight)
                    try instance.insert(db)
                }
                var event = EventRecord(
                    at: now, dagID: template.dagID, runID: template.runID, taskID: spec.taskID, kind: "task_mapped", actor: "scheduler",
                    detail: "\(items.count) instance\(items.count == 1 ? "" : "s") over \(spec.mapping.sourceDescription)")
                try event.insert(db)
            }
        }
        return changed
    }

    private static func end(_ db: Database, _ instance: TaskInstanceRecord, state: TaskState, note: String, now: Date) throws {
        try db.execute(
            sql: "UPDATE task_instances SET state = ?, note = ?, end_date = ? WHERE id = ?",
            arguments: [state.rawValue, note, now.timeIntervalSince1970, instance.id])
    }

    /// Puts the expanded instances of the mapped tasks `bases` of a cleared run back to one `scheduled` instance per
    /// task, so the next pass expands them over the list as it is then.
    static func collapseMapped(_ db: Database, runID: String, bases: Set<String>) throws {
        guard !bases.isEmpty else { return }
        let instances = try TaskInstanceRecord.filter(Column("run_id") == runID).fetchAll(db)
        for base in bases.sorted() {
            let mapped = instances.filter { MappedID.split($0.taskID).index != nil && MappedID.taskID(of: $0.taskID) == base }
            guard let first = mapped.first else { continue }
            for instance in mapped { try db.execute(sql: "DELETE FROM task_instances WHERE id = ?", arguments: [instance.id]) }
            var template = TaskInstanceRecord(
                runPK: first.runPK, dagID: first.dagID, runID: runID, taskID: base, state: .scheduled, tryNumber: 0,
                maxTries: max(1, first.maxTries - first.budgetStart), pool: first.pool, priorityWeight: first.priorityWeight)
            try template.insert(db)
        }
    }

    /// What each mapped instance `taskID[i]` of run `runID` stored under `key`, by index (nil where one stored none).
    public func pullMappedXCom(runID: String, taskID: String, key: String) async throws -> [String?] {
        try await writer.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT task_id, value FROM xcom WHERE run_id = ? AND key = ? AND task_id GLOB ?",
                arguments: [runID, key, taskID + "[[]*]"])
            let count = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM task_instances WHERE run_id = ? AND task_id GLOB ?", arguments: [runID, taskID + "[[]*]"]) ?? 0
            var values = [String?](repeating: nil, count: count)
            for row in rows {
                guard let index = MappedID.split(row["task_id"]).index else { continue }
                if index >= values.count { values += [String?](repeating: nil, count: index + 1 - values.count) }
                values[index] = row["value"]
            }
            return values
        }
    }
}
