public import Foundation
public import GRDB
public import Workflow

/// An asset as the store knows it: how many events it has and when the last one came.
public struct AssetSummary: Sendable, Equatable {
    public var asset: String
    public var events: Int
    public var lastEventAt: Date?
    public var lastEventRunID: String?
}

extension StateStore {
    // MARK: Producing

    /// Records an event for each of `outlets` after a successful try of `instance`, unless the try said it changed
    /// nothing (``TaskContext/skipAssetEvent(_:reason:)``); the extra JSON it attached goes with the event.
    static func recordAssetEvents(_ db: Database, instance: TaskInstanceRecord, outlets: [String], now: Date) throws {
        for asset in outlets {
            let said = try String.fetchOne(
                db, sql: "SELECT value FROM xcom WHERE run_id = ? AND task_id = ? AND key = ?",
                arguments: [instance.runID, instance.taskID, AssetEvent.xcomKey(asset, tryNumber: instance.tryNumber)])
            var extra: String?
            if let said, case .object(let object)? = try? JSONValue.parse(said) {
                if object["skip"] != nil { continue }
                extra = object["extra"].map(\.jsonText)
            }
            try db.execute(
                sql: """
                    INSERT INTO asset_events (asset, dag_id, run_id, task_id, try_number, extra, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [asset, instance.dagID, instance.runID, instance.taskID, instance.tryNumber, extra, now.timeIntervalSince1970])
        }
    }

    // MARK: Consuming

    /// Creates one run for each DAG of `dags` scheduled on assets whose every asset has a new event since its last
    /// asset-triggered run, and links the events to it; all in one write transaction, so two schedulers that look at
    /// the same events create one run between them. Events from before a DAG was first registered do not count.
    /// - Returns: the runs created.
    public func createAssetRuns(of dags: [DAG], now: Date) async throws -> [DAGRunRecord] {
        let consumers = dags.filter { !$0.schedule.assets.isEmpty }.map { (RunSeed($0), Array(Set($0.schedule.assets)).sorted()) }
        guard !consumers.isEmpty else { return [] }
        return try await writer.write { db in
            var created: [DAGRunRecord] = []
            for (seed, assets) in consumers {
                guard
                    let dag = try Row.fetchOne(db, sql: "SELECT paused, registered_at FROM dags WHERE dag_id = ?", arguments: [seed.dagID]),
                    dag["paused"] as Bool? == false
                else { continue }
                let registeredAt: Double = dag["registered_at"]
                var batch: [String: [(id: Int64, at: Double)]] = [:]
                for asset in assets {
                    let cursor: Int64
                    if let stored = try Int64.fetchOne(
                        db, sql: "SELECT last_event_id FROM asset_cursors WHERE dag_id = ? AND asset = ?", arguments: [seed.dagID, asset])
                    {
                        cursor = stored
                    } else {
                        cursor = try Int64.fetchOne(
                            db, sql: "SELECT coalesce(max(id), 0) FROM asset_events WHERE asset = ? AND created_at < ?",
                            arguments: [asset, registeredAt]) ?? 0
                        try db.execute(
                            sql: "INSERT INTO asset_cursors (dag_id, asset, last_event_id) VALUES (?, ?, ?)", arguments: [seed.dagID, asset, cursor])
                    }
                    batch[asset] = try Row.fetchAll(
                        db, sql: "SELECT id, created_at FROM asset_events WHERE asset = ? AND id > ? ORDER BY id", arguments: [asset, cursor]
                    ).map { (id: $0["id"], at: $0["created_at"]) }
                }
                guard batch.values.allSatisfy({ !$0.isEmpty }) else { continue }
                let events = batch.values.flatMap { $0 }
                let first = Date(timeIntervalSince1970: events.map(\.at).min() ?? now.timeIntervalSince1970)
                let runID = "asset_triggered__" + RunDates.preciseStamp(now) + "_e\(events.map(\.id).max() ?? 0)"
                let run = try Self.insertRun(
                    db, seed: seed, runID: runID, logicalDate: now, interval: DateInterval(start: min(first, now), end: now),
                    type: .assetTriggered, conf: [:], actor: "scheduler", now: now)
                for event in events {
                    try db.execute(
                        sql: "INSERT INTO asset_event_runs (event_id, dag_id, run_id) VALUES (?, ?, ?)", arguments: [event.id, seed.dagID, runID])
                }
                for (asset, rows) in batch {
                    try db.execute(
                        sql: "UPDATE asset_cursors SET last_event_id = ? WHERE dag_id = ? AND asset = ?",
                        arguments: [rows.map(\.id).max() ?? 0, seed.dagID, asset])
                }
                created.append(run)
            }
            return created
        }
    }

    /// Whether ``createAssetRuns(of:now:)`` may have something to do for `dags`: an asset one of them is scheduled on has
    /// an event past the DAG's cursor, or has no cursor yet. A read, so the scheduler's idle passes take no write lock.
    public func mayHaveAssetRuns(for dags: [DAG]) async throws -> Bool {
        let pairs = dags.flatMap { dag in Set(dag.schedule.assets).map { (dag.id, $0) } }
        guard !pairs.isEmpty else { return false }
        return try await writer.read { db in
            for (dagID, asset) in pairs {
                guard
                    let cursor = try Int64.fetchOne(
                        db, sql: "SELECT last_event_id FROM asset_cursors WHERE dag_id = ? AND asset = ?", arguments: [dagID, asset])
                else { return true }
                if try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM asset_events WHERE asset = ? AND id > ?)", arguments: [asset, cursor]) == true
                {
                    return true
                }
            }
            return false
        }
    }

    // MARK: Reading

    /// The events that created run `runID`, oldest first.
    public func assetEvents(causing runID: String) async throws -> [AssetEvent] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT asset_events.* FROM asset_events JOIN asset_event_runs ON asset_event_runs.event_id = asset_events.id
                    WHERE asset_event_runs.run_id = ? ORDER BY asset_events.id
                    """,
                arguments: [runID]
            ).map(Self.assetEvent)
        }
    }

    /// The events of `asset`, newest first.
    public func assetEvents(of asset: String, limit: Int = 100) async throws -> [AssetEvent] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM asset_events WHERE asset = ? ORDER BY id DESC LIMIT ?", arguments: [asset, limit]
            ).map(Self.assetEvent)
        }
    }

    /// The runs each of `eventIDs` caused, as (DAG, run) pairs.
    public func runsCaused(by eventIDs: [Int64]) async throws -> [Int64: [(dagID: String, runID: String)]] {
        guard !eventIDs.isEmpty else { return [:] }
        return try await writer.read { db in
            var caused: [Int64: [(dagID: String, runID: String)]] = [:]
            let marks = Array(repeating: "?", count: eventIDs.count).joined(separator: ",")
            for row in try Row.fetchAll(
                db, sql: "SELECT event_id, dag_id, run_id FROM asset_event_runs WHERE event_id IN (\(marks)) ORDER BY run_id",
                arguments: StatementArguments(eventIDs))
            {
                caused[row["event_id"], default: []].append((dagID: row["dag_id"], runID: row["run_id"]))
            }
            return caused
        }
    }

    /// Every asset with at least one event: its count and its latest event.
    public func assetSummaries() async throws -> [AssetSummary] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT counts.asset, counts.events, last.created_at AS last_at, last.run_id AS last_run
                    FROM (SELECT asset, count(*) AS events, max(id) AS last_id FROM asset_events GROUP BY asset) AS counts
                    JOIN asset_events AS last ON last.id = counts.last_id
                    ORDER BY counts.asset
                    """
            ).map { row in
                AssetSummary(
                    asset: row["asset"], events: row["events"], lastEventAt: row.date("last_at"), lastEventRunID: row["last_run"])
            }
        }
    }

    private static func assetEvent(_ row: Row) -> AssetEvent {
        AssetEvent(
            id: row["id"], asset: row["asset"], dagID: row["dag_id"], runID: row["run_id"], taskID: row["task_id"],
            tryNumber: row["try_number"], extra: (row["extra"] as String?).flatMap { try? JSONValue.parse($0) },
            at: Date(timeIntervalSince1970: row["created_at"]))
    }
}
