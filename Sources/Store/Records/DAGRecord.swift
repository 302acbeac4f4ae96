public import Foundation
public import GRDB

/// One row of `dags`: a registered DAG, its pause flag and its serialized structure.
public struct DAGRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "dags"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public var dagID: String
    public var paused: Bool
    public var fingerprint: String
    /// ``Workflow/DAGStructure`` as JSON.
    public var structure: String
    /// When the DAG was first seen: scheduled runs start after it unless the DAG sets a start date.
    public var registeredAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case paused, fingerprint, structure
        case dagID = "dag_id", registeredAt = "registered_at", updatedAt = "updated_at"
    }
}

/// One row of `events`: the audit log (who triggered, paused, cleared, and what the scheduler reaped).
public struct EventRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "events"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public var id: Int64?
    public var at: Date
    public var dagID: String?
    public var runID: String?
    public var taskID: String?
    public var kind: String
    public var actor: String
    public var detail: String

    enum CodingKeys: String, CodingKey {
        case id, at, kind, actor, detail
        case dagID = "dag_id", runID = "run_id", taskID = "task_id"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One point of a metric series.
public struct TaskMetricRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "task_metrics"
    public var dagID: String
    public var runID: String
    public var taskID: String
    public var tryNumber: Int
    public var name: String
    public var step: Int
    public var value: Double
    public var recordedAt: Double

    public init(dagID: String, runID: String, taskID: String, tryNumber: Int, name: String, step: Int, value: Double, recordedAt: Double) {
        self.dagID = dagID
        self.runID = runID
        self.taskID = taskID
        self.tryNumber = tryNumber
        self.name = name
        self.step = step
        self.value = value
        self.recordedAt = recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case name, step, value
        case dagID = "dag_id", runID = "run_id", taskID = "task_id", tryNumber = "try_number", recordedAt = "recorded_at"
    }
}
