public import Foundation
public import GRDB

/// The state of one try.
public enum TryState: String, Sendable, Codable {
    case running, success, failed, skipped
    /// A sensor's poke found its condition not met; the sensor pokes again later (a try of its own).
    case upForReschedule = "up_for_reschedule"
}

/// One row of `task_tries`: one attempt at a task instance.
public struct TaskTryRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "task_tries"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public var id: Int64?
    public var dagID: String
    public var runID: String
    public var taskID: String
    public var tryNumber: Int
    public var state: TryState
    public var pid: Int32?
    public var pgid: Int32?
    public var procStart: Int64?
    public var host: String?
    public var startDate: Date
    public var endDate: Date?
    public var durationSeconds: Double?
    /// The process's exit code (128 + signal when killed by a signal).
    public var exitStatus: Int32?
    /// What went wrong, for people ("timed out after 5 s", "process lost", the thrown error).
    public var error: String?
    public var logPath: String

    enum CodingKeys: String, CodingKey {
        case id, state, pid, pgid, host, error
        case dagID = "dag_id", runID = "run_id", taskID = "task_id", tryNumber = "try_number", procStart = "proc_start"
        case startDate = "start_date", endDate = "end_date", durationSeconds = "duration_s", exitStatus = "exit_status"
        case logPath = "log_path"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
