import Foundation
public import Workflow

/// What one scheduling pass reads, inside its write transaction.
public struct SchedulingSnapshot: Sendable {
    /// Runs in state queued or running, oldest logical date first.
    public var activeRuns: [DAGRunRecord]
    /// The task instances of those runs.
    public var instances: [TaskInstanceRecord]
    /// Paused DAG ids.
    public var pausedDAGs: Set<String>
}

/// What one scheduling pass decided; the store applies it in the same transaction.
public struct PassPlan: Sendable, Equatable {
    /// A run changes state.
    public struct RunChange: Sendable, Equatable {
        public var runPK: Int64
        public var state: RunState
        public init(runPK: Int64, state: RunState) {
            self.runPK = runPK
            self.state = state
        }
    }

    /// A task instance changes state (queued ones are handed to the executor).
    public struct InstanceChange: Sendable, Equatable {
        public var instanceID: Int64
        public var state: TaskState
        public var note: String?
        public init(instanceID: Int64, state: TaskState, note: String? = nil) {
            self.instanceID = instanceID
            self.state = state
            self.note = note
        }
    }

    /// A task instance for a task the run did not have (added to the DAG's definition while the run was under way).
    public struct NewInstance: Sendable, Equatable {
        public var runPK: Int64
        public var dagID: String
        public var runID: String
        public var taskID: String
        public var maxTries: Int
        public var pool: String
        public var priorityWeight: Int
        public init(runPK: Int64, dagID: String, runID: String, taskID: String, maxTries: Int, pool: String, priorityWeight: Int) {
            self.runPK = runPK
            self.dagID = dagID
            self.runID = runID
            self.taskID = taskID
            self.maxTries = maxTries
            self.pool = pool
            self.priorityWeight = priorityWeight
        }
    }

    public var runChanges: [RunChange] = []
    public var instanceChanges: [InstanceChange] = []
    public var instanceInserts: [NewInstance] = []

    public init(runChanges: [RunChange] = [], instanceChanges: [InstanceChange] = []) {
        self.runChanges = runChanges
        self.instanceChanges = instanceChanges
    }

    /// Ids of instances this plan queues.
    public var queued: [Int64] { instanceChanges.filter { $0.state == .queued }.map(\.instanceID) }
}
