public import Foundation
public import GRDB
public import Workflow

/// One row of `task_instances`: a task in a run, across all its tries.
public struct TaskInstanceRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "task_instances"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public var id: Int64?
    public var runPK: Int64
    public var dagID: String
    public var runID: String
    public var taskID: String
    public var state: TaskState
    /// Tries started so far (the current or last try's number).
    public var tryNumber: Int
    public var maxTries: Int
    /// The try number when the current budget began (0, or the try number at the last clear): retry backoff restarts there.
    public var budgetStart: Int = 0
    /// When an `up_for_retry` instance may start its next try.
    public var nextTryAt: Date?
    public var pool: String
    public var priorityWeight: Int
    public var pid: Int32?
    public var pgid: Int32?
    /// The process's start time (/proc starttime), to tell a reused pid apart.
    public var procStart: Int64?
    public var host: String?
    public var queuedAt: Date?
    public var startDate: Date?
    public var endDate: Date?
    /// Why the instance is in its state (skip reason, failure summary).
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case id, state, pool, pid, pgid, host, note
        case runPK = "run_pk", dagID = "dag_id", runID = "run_id", taskID = "task_id", tryNumber = "try_number"
        case maxTries = "max_tries", budgetStart = "budget_start", nextTryAt = "next_try_at", priorityWeight = "priority_weight", procStart = "proc_start"
        case queuedAt = "queued_at", startDate = "start_date", endDate = "end_date"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension TaskInstanceRecord {
    /// Decodes straight from the row (Codable decoding dominated the scheduling pass on runs with hundreds of tasks).
    public init(row: Row) throws {
        id = row["id"]
        runPK = row["run_pk"]
        dagID = row["dag_id"]
        runID = row["run_id"]
        taskID = row["task_id"]
        state = TaskState(rawValue: row["state"]) ?? .scheduled
        tryNumber = row["try_number"]
        maxTries = row["max_tries"]
        budgetStart = row["budget_start"]
        nextTryAt = row.date("next_try_at")
        pool = row["pool"]
        priorityWeight = row["priority_weight"]
        pid = row["pid"]
        pgid = row["pgid"]
        procStart = row["proc_start"]
        host = row["host"]
        queuedAt = row.date("queued_at")
        startDate = row.date("start_date")
        endDate = row.date("end_date")
        note = row["note"]
    }
}

extension Row {
    /// A date stored as seconds since 1970.
    func date(_ column: String) -> Date? {
        (self[column] as Double?).map { Date(timeIntervalSince1970: $0) }
    }
}
