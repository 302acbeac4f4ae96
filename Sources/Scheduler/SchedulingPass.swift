public import Foundation
public import Store
public import Workflow

/// Limits that hold across DAGs.
public struct SchedulingLimits: Sendable, Equatable {
    /// Task tries running (or queued) at once, over all DAGs.
    public var parallelism: Int

    public init(parallelism: Int = 32) { self.parallelism = parallelism }
}

/// One scheduling decision over a snapshot of the store: start queued runs, resolve trigger rules, finish runs, and
/// queue ready task instances within parallelism, per-DAG limits and pool slots, highest priority first. Pure.
public enum SchedulingPass {
    public static func plan(_ snapshot: SchedulingSnapshot, bag: DAGBag, limits: SchedulingLimits, now: Date) -> PassPlan {
        var plan = PassPlan()
        var byRun: [Int64: [TaskInstanceRecord]] = [:]
        for instance in snapshot.instances { byRun[instance.runPK, default: []].append(instance) }

        // Slots in use: queued and running instances count against every limit.
        var activeTotal = 0
        var activeByDAG: [String: Int] = [:]
        var activeByPool: [String: Int] = [:]
        for instance in snapshot.instances where instance.state == .queued || instance.state == .running {
            activeTotal += 1
            activeByDAG[instance.dagID, default: 0] += 1
            activeByPool[instance.pool, default: 0] += 1
        }

        // Start queued runs within max active runs.
        var runningRuns: [String: Int] = [:]
        for run in snapshot.activeRuns where run.state == .running { runningRuns[run.dagID, default: 0] += 1 }
        var running: [DAGRunRecord] = []
        for run in snapshot.activeRuns {
            guard let dag = bag[run.dagID], !snapshot.pausedDAGs.contains(run.dagID) else { continue }
            if run.state == .queued {
                guard runningRuns[run.dagID, default: 0] < dag.maxActiveRuns else { continue }
                runningRuns[run.dagID, default: 0] += 1
                plan.runChanges.append(.init(runPK: run.id!, state: .running))
            }
            running.append(run)
        }

        struct Candidate {
            var instance: TaskInstanceRecord
            var logicalDate: Date
            var order: Int
        }
        var candidates: [Candidate] = []
        for run in running {
            guard let dag = bag[run.dagID] else { continue }
            var instances = byRun[run.id!] ?? []
            // Every instance's state by task id: a mapped task has one instance per map index (`t[0]`, `t[1]`, …), and a
            // trigger rule sees each of them.
            var states: [String: [TaskState]] = [:]
            var instanceIndexes: [String: [Int]] = [:]
            for (index, instance) in instances.enumerated() {
                let taskID = MappedID.taskID(of: instance.taskID)
                states[taskID, default: []].append(instance.state)
                instanceIndexes[taskID, default: []].append(index)
            }
            // Trigger rules, in dependency order so a skip or upstream failure cascades within one pass.
            for (position, taskID) in dag.topologicalOrder.enumerated() {
                guard let task = dag.task(taskID) else { continue }
                let upstream = task.upstream.flatMap { states[$0] ?? [.success] }
                guard let indexes = instanceIndexes[taskID] else {
                    // A task added to the definition while this run was under way (a redeploy) joins the run when its
                    // upstream tasks still allow it to run; one whose upstream already failed or skipped stays out.
                    switch task.triggerRule.decide(upstream: upstream) {
                    case .run, .wait:
                        states[taskID] = [.scheduled]
                        plan.instanceInserts.append(.init(
                            runPK: run.id!, dagID: dag.id, runID: run.runID, taskID: taskID, maxTries: dag.retryPolicy(for: task).maxTries,
                            pool: task.pool ?? "default", priorityWeight: task.priorityWeight))
                    case .skip, .upstreamFailed:
                        break
                    }
                    continue
                }
                for index in indexes {
                    let instance = instances[index]
                    switch instance.state {
                    case .scheduled:
                        switch task.triggerRule.decide(upstream: upstream) {
                        case .wait:
                            break
                        case .run:
                            guard let mapping = task.mapping, instance.taskID == taskID else {
                                candidates.append(Candidate(instance: instance, logicalDate: run.logicalDate, order: position))
                                break
                            }
                            // A mapped task before expansion: the store expands it once its list is known. A source that
                            // ended without success (a rule such as all_done let the task run) leaves nothing to map over.
                            if case .xcom(let source, _) = mapping.source, let sourceStates = states[source],
                                sourceStates.allSatisfy(\.isFinished), !sourceStates.allSatisfy({ $0 == .success })
                            {
                                instances[index].state = .skipped
                                plan.instanceChanges.append(.init(
                                    instanceID: instance.id!, state: .skipped, note: "nothing to map over: '\(source)' did not succeed"))
                            }
                        case .skip:
                            instances[index].state = .skipped
                            plan.instanceChanges.append(.init(instanceID: instance.id!, state: .skipped, note: "trigger rule \(task.triggerRule.rawValue)"))
                        case .upstreamFailed:
                            instances[index].state = .upstreamFailed
                            plan.instanceChanges.append(
                                .init(instanceID: instance.id!, state: .upstreamFailed, note: "an upstream task failed (\(task.triggerRule.rawValue))"))
                        }
                    case .upForRetry, .upForReschedule:
                        if let next = instance.nextTryAt, next > now { break }
                        candidates.append(Candidate(instance: instance, logicalDate: run.logicalDate, order: position))
                    default:
                        break
                    }
                }
                states[taskID] = indexes.map { instances[$0].state }
            }
            // Instances of tasks that left the DAG's definition will never run.
            for instance in instances where dag.task(instance.taskID) == nil && !instance.state.isFinished
                && instance.state != .running && instance.state != .queued
            {
                states[MappedID.taskID(of: instance.taskID)] = [.skipped]
                plan.instanceChanges.append(.init(instanceID: instance.id!, state: .skipped, note: "task removed from the DAG"))
            }
            // A run ends when every instance has; it fails when a leaf task failed (Airflow's rule).
            if states.values.allSatisfy({ $0.allSatisfy(\.isFinished) }) {
                // The run's leaves are its tasks with no downstream task in the run: usually the DAG's leaves, but a task
                // added by a redeploy that did not join leaves its upstream task a leaf of this run.
                var hasDownstream = Set<String>()
                for task in dag.tasks where states[task.id] != nil { hasDownstream.formUnion(task.upstream) }
                let failed = states.contains { id, list in
                    list.contains { $0 == .failed || $0 == .upstreamFailed } && !hasDownstream.contains(id)
                }
                plan.runChanges.append(.init(runPK: run.id!, state: failed ? .failed : .success))
            }
        }

        candidates.sort { a, b in
            if a.instance.priorityWeight != b.instance.priorityWeight { return a.instance.priorityWeight > b.instance.priorityWeight }
            if a.logicalDate != b.logicalDate { return a.logicalDate < b.logicalDate }
            if a.instance.runPK != b.instance.runPK { return a.instance.runPK < b.instance.runPK }
            return a.order < b.order
        }
        for candidate in candidates {
            let instance = candidate.instance
            guard activeTotal < limits.parallelism else { break }
            guard let dag = bag[instance.dagID], activeByDAG[instance.dagID, default: 0] < dag.maxActiveTasks else { continue }
            guard activeByPool[instance.pool, default: 0] < (bag.pools[instance.pool] ?? bag.pools["default"] ?? 1) else { continue }
            activeTotal += 1
            activeByDAG[instance.dagID, default: 0] += 1
            activeByPool[instance.pool, default: 0] += 1
            plan.instanceChanges.append(.init(instanceID: instance.id!, state: .queued))
        }
        return plan
    }
}
