public import Foundation
public import GRDB
public import Workflow

/// How a run came to be.
public enum RunType: String, Sendable, Codable, CaseIterable {
    case scheduled, manual, backfill
    /// Created because assets the DAG is scheduled on were updated.
    case assetTriggered = "asset_triggered"
}

/// One row of `dag_runs`.
public struct DAGRunRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "dag_runs"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public var id: Int64?
    public var dagID: String
    public var runID: String
    public var logicalDate: Date
    public var intervalStart: Date
    public var intervalEnd: Date
    public var state: RunState
    public var runType: RunType
    /// The run's conf as JSON text.
    public var conf: String
    public var queuedAt: Date
    public var startDate: Date?
    public var endDate: Date?
    /// The fingerprint of the DAG's definition this run was created under (nil for runs made before it was recorded).
    public var fingerprint: String?
    /// Why the run ended when its tasks did not decide it, e.g. "timed out after 2 h".
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case id, state, conf
        case dagID = "dag_id", runID = "run_id", logicalDate = "logical_date", intervalStart = "interval_start"
        case intervalEnd = "interval_end", runType = "run_type", queuedAt = "queued_at", startDate = "start_date"
        case endDate = "end_date", fingerprint, note
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The conf as an object (empty when it is not one).
    public var confObject: [String: JSONValue] { (try? JSONValue.parse(conf))?.objectValue ?? [:] }

    /// Seconds from start to end (or to `now` while running).
    public func duration(now: Date) -> Double? {
        guard let startDate else { return nil }
        return (endDate ?? now).timeIntervalSince(startDate)
    }
}

extension DAGRunRecord {
    /// Decodes straight from the row, without Codable.
    public init(row: Row) throws {
        id = row["id"]
        dagID = row["dag_id"]
        runID = row["run_id"]
        logicalDate = row.date("logical_date") ?? .distantPast
        intervalStart = row.date("interval_start") ?? .distantPast
        intervalEnd = row.date("interval_end") ?? .distantPast
        state = RunState(rawValue: row["state"]) ?? .queued
        runType = RunType(rawValue: row["run_type"]) ?? .manual
        conf = row["conf"]
        queuedAt = row.date("queued_at") ?? .distantPast
        startDate = row.date("start_date")
        endDate = row.date("end_date")
        fingerprint = row["fingerprint"]
        note = row["note"]
    }
}
